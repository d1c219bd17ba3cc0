package io.vigil.health.internal;

import io.vigil.health.spi.HealthListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registered listeners; a listener that throws is logged and skipped, never breaks an evaluation. */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

    /** @param listener added last */
    public void add(HealthListener listener) {
        listeners.add(listener);
    }

    /** @param event delivered to every listener in order */
    public void fire(Consumer<HealthListener> event) {
        for (HealthListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("health listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }
}
