package io.vigil.health.internal;

import io.vigil.health.spi.HealthListener;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers engine events to listeners, each listener isolated from the engine and from the others: every
 * listener has its own bounded queue and its own delivery thread (started when events arrive, gone after 30 s
 * without any), so a listener that blocks delays only its own deliveries, and one that throws anything is counted
 * and skipped. A full queue drops its oldest event (counted, logged once per listener). Events reach a listener
 * in the order they were published; a listener is never called concurrently with itself. Only the events a
 * listener overrides are queued for it, so the hot path costs nothing for listeners that ignore an event.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.health");
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The events of {@link HealthListener}, one per method. */
    public enum Kind {
        CHECK_EVALUATED("onCheckEvaluated"),
        CHECK_TRANSITION("onCheckTransition"),
        BREAKER_TRANSITION("onBreakerTransition"),
        PROBE_EVALUATED("onProbeEvaluated"),
        OUTCOME_TRANSITION("onOutcomeTransition"),
        LOCK_ACQUIRED("onLockAcquired"),
        LOCK_RELEASED("onLockReleased"),
        LICENSE_TRANSITION("onLicenseTransition"),
        STARTED("onStarted"),
        DRAINING_STARTED("onDrainingStarted");

        final String method;

        Kind(String method) {
            this.method = method;
        }
    }

    private final int capacity;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile EnumSet<Kind> wanted = EnumSet.noneOf(Kind.class);
    private volatile boolean closed;

    /** @param capacity queue bound per listener */
    public EventBus(int capacity) {
        this.capacity = capacity;
    }

    /** @param listener added last */
    public synchronized void add(HealthListener listener) {
        Channel c = new Channel(listener, overridden(listener.getClass()));
        channels.add(c);
        EnumSet<Kind> w = EnumSet.noneOf(Kind.class);
        w.addAll(wanted);
        w.addAll(c.wants);
        wanted = w;
    }

    /**
     * @param kind an event kind
     * @return whether any listener takes it (check before building an event on a hot path)
     */
    boolean wants(Kind kind) {
        return wanted.contains(kind);
    }

    /**
     * Queues an event for every listener that takes it; never blocks on a listener.
     *
     * @param kind  its kind
     * @param event the call
     */
    void publish(Kind kind, Consumer<HealthListener> event) {
        if (closed || !wanted.contains(kind)) {
            return;
        }
        for (Channel c : channels) {
            if (c.wants.contains(kind)) {
                c.offer(event);
            }
        }
    }

    /**
     * Waits until every event published so far has reached its listeners (or was dropped).
     *
     * @param timeout the longest wait
     * @return whether everything was delivered in time
     * @throws InterruptedException when interrupted
     */
    boolean flush(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel c : channels) {
            if (!c.flush(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** @return events a listener threw on */
    long failures() {
        return failures.get();
    }

    /** @return events dropped from full queues */
    long dropped() {
        return dropped.get();
    }

    /** Stops taking events; queued ones are still delivered, then the delivery threads end. */
    @Override
    public void close() {
        closed = true;
        for (Channel c : channels) {
            c.close();
        }
    }

    private static EnumSet<Kind> overridden(Class<?> type) {
        EnumSet<Kind> out = EnumSet.noneOf(Kind.class);
        for (Kind k : Kind.values()) {
            for (Method m : HealthListener.class.getMethods()) {
                if (!m.getName().equals(k.method)) {
                    continue;
                }
                try {
                    if (type.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass()
                            != HealthListener.class) {
                        out.add(k);
                    }
                } catch (NoSuchMethodException e) {
                    out.add(k); // cannot tell: deliver
                }
            }
        }
        return out;
    }

    /** One listener's queue and delivery thread. */
    private final class Channel implements Runnable {
        private final HealthListener listener;
        private final EnumSet<Kind> wants;
        private final ArrayDeque<Consumer<HealthListener>> queue = new ArrayDeque<>(); // guarded by this
        private @Nullable Thread thread; // guarded by this: the delivery thread, or null
        private boolean waiting; // guarded by this
        private boolean closing; // guarded by this
        private boolean warnedDrop; // guarded by this
        private long published; // guarded by this
        private long done; // guarded by this: delivered or dropped
        private boolean flushing; // guarded by this
        private boolean warnedFailure; // delivery thread only

        Channel(HealthListener listener, EnumSet<Kind> wants) {
            this.listener = listener;
            this.wants = wants;
        }

        synchronized void offer(Consumer<HealthListener> event) {
            if (closing) {
                return;
            }
            published++;
            if (queue.size() >= capacity) {
                queue.pollFirst();
                done++;
                dropped.incrementAndGet();
                if (!warnedDrop) {
                    warnedDrop = true;
                    LOG.atWarn()
                            .addKeyValue("listener", listener.getClass().getName())
                            .addKeyValue("capacity", capacity)
                            .log("health listener falls behind: its oldest events are dropped");
                }
            }
            queue.addLast(event);
            if (thread == null) {
                thread = new Thread(this, "vigil-health-events-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                thread.start();
            } else if (waiting) {
                notifyAll();
            }
        }

        synchronized void close() {
            closing = true;
            notifyAll();
        }

        synchronized boolean flush(long deadline) throws InterruptedException {
            long target = published;
            while (done < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (thread == null && !queue.isEmpty())) {
                    return false;
                }
                flushing = true;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public void run() {
            Throwable fatal = null;
            try {
                while (fatal == null) {
                    Consumer<HealthListener> next;
                    synchronized (this) {
                        long idleSince = System.nanoTime();
                        while (queue.isEmpty()) {
                            long left = IDLE_NANOS - (System.nanoTime() - idleSince);
                            if (closing || left <= 0) {
                                thread = null;
                                return;
                            }
                            waiting = true;
                            try {
                                TimeUnit.NANOSECONDS.timedWait(this, left);
                            } catch (InterruptedException e) {
                                thread = null;
                                return;
                            } finally {
                                waiting = false;
                            }
                        }
                        next = queue.pollFirst();
                    }
                    fatal = deliver(next);
                    synchronized (this) {
                        done++;
                        if (flushing) {
                            flushing = false;
                            notifyAll();
                        }
                    }
                }
            } finally {
                synchronized (this) {
                    if (thread == Thread.currentThread()) {
                        thread = null;
                        if (!queue.isEmpty() && !closing) { // a fatal error ended this thread: the next one goes on
                            thread = new Thread(this, "vigil-health-events-" + THREADS.incrementAndGet());
                            thread.setDaemon(true);
                            thread.start();
                        }
                    }
                }
            }
            if (fatal instanceof VirtualMachineError vme) {
                throw vme; // after cleanup: the JVM's own handling of e.g. OutOfMemoryError sees it
            }
        }

        /** @return a VirtualMachineError to rethrow after cleanup, or {@code null} */
        private @Nullable Throwable deliver(Consumer<HealthListener> event) {
            try {
                event.accept(listener);
                return null;
            } catch (Throwable t) { // NOPMD: a listener must never take the engine down
                failures.incrementAndGet();
                if (!warnedFailure) {
                    warnedFailure = true;
                    LOG.atWarn()
                            .addKeyValue("listener", listener.getClass().getName())
                            .addKeyValue("error", t.getClass().getName())
                            .log("health listener failed; its failures are counted, not logged again");
                }
                return t instanceof VirtualMachineError ? t : null;
            }
        }
    }
}
