package io.vigil.health.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Captures log events of a logger (and its children) through a real Logback appender. Use in
 * try-with-resources; {@link #close()} detaches it.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous;

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previous = logger.getLevel();
        logger.setLevel(level);
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * @param loggerName logger to capture, e.g. {@code "io.vigil.health"}
     * @return an attached capture at DEBUG
     */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName, Level.DEBUG);
    }

    /** @return captured events so far */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // Logback appends under the appender's own lock (AppenderBase.doAppend)
            return List.copyOf(appender.list);
        }
    }

    /** @return formatted messages, with key/values appended as {@code key=value}, of events at INFO or above */
    public List<String> lines() {
        return events().stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(LogCapture::render)
                .collect(Collectors.toList());
    }

    /** @return every event rendered (all levels), including throwables' messages */
    public String everything() {
        return events().stream()
                .map(e -> render(e)
                        + (e.getThrowableProxy() == null
                                ? ""
                                : " " + e.getThrowableProxy().getClassName() + ": "
                                        + e.getThrowableProxy().getMessage()))
                .collect(Collectors.joining("\n"));
    }

    /**
     * @param e an event
     * @return its key/values
     */
    public static Map<String, Object> keyValues(ILoggingEvent e) {
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs == null) {
            return Map.of();
        }
        return kvs.stream()
                .filter(kv -> kv.value != null)
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
    }

    private static String render(ILoggingEvent e) {
        String kv = keyValues(e).entrySet().stream()
                .map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(" "));
        return e.getLevel() + " " + e.getFormattedMessage() + (kv.isEmpty() ? "" : " " + kv);
    }

    /** Forgets captured events. */
    public void clear() {
        synchronized (appender) {
            appender.list.clear();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
        appender.stop();
    }
}
