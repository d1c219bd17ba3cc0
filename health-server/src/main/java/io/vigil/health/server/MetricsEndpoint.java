package io.vigil.health.server;

import io.vigil.health.endpoint.HealthResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} of the JDK server: the Prometheus text a supplier gives, beside the probes on one port. Knows
 * nothing of meters; a failing scrape is a 500 OperationOutcome without the exception's text (logged at DEBUG).
 */
final class MetricsEndpoint {
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(JdkHealthServer.class);

    private final Supplier<String> scrape;

    MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    /** @return whether the raw request path is the metrics path */
    boolean serves(String path) {
        return PATH.equals(path);
    }

    HealthResponse answer(String method) {
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return HealthResponse.refusal(405, "not-supported", "Method not allowed; use GET or HEAD", false)
                    .withHeader("Allow", "GET, HEAD");
        }
        String text;
        try {
            text = scrape.get();
        } catch (RuntimeException e) {
            LOG.atDebug().setCause(e).log("metrics scrape failed");
            return HealthResponse.machineryFailure(method, "The metrics scrape failed");
        }
        if (text == null) {
            return HealthResponse.machineryFailure(method, "The metrics scrape failed");
        }
        return HealthResponse.of(200, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8), head);
    }
}
