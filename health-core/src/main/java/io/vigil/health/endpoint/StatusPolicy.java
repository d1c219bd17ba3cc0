package io.vigil.health.endpoint;

import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSubject;
import io.vigil.health.Outcome;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one place that maps a report's {@link Outcome} to the HTTP status and the headers of the answer. Set per
 * handler with {@link HealthHandler.Builder#statusPolicy(StatusPolicy)}. Presets:
 * <table>
 *   <caption>presets (status per outcome)</caption>
 *   <tr><th>preset</th><th>UP</th><th>DEGRADED</th><th>DOWN</th><th>LOCKED</th><th>LICENSE_INVALID</th><th>ERROR</th></tr>
 *   <tr><td>{@link #defaults()}</td><td>200</td><td>200</td><td>503</td><td>423</td><td>402</td><td>500</td></tr>
 *   <tr><td>{@link #consul()}</td><td>200</td><td>429 (Consul "warning")</td><td>503</td><td>423</td><td>402</td><td>500</td></tr>
 *   <tr><td>{@link #envoy()}</td><td>200</td><td>200 + {@code x-envoy-degraded}</td><td>503 (+ {@code x-envoy-immediate-health-check-fail} while draining or out of service)</td><td>423</td><td>402</td><td>500</td></tr>
 *   <tr><td>{@link #kubeletSafe()}</td><td>200</td><td>200</td><td>503</td><td>423</td><td>402</td><td>500</td></tr>
 * </table>
 * Every policy adds {@code Retry-After} (whole seconds, rounded up) to a 423, 429 or 503 answer when the report
 * knows a sensible value (a lock's expected duration, an open breaker's backoff). The kubelet-safe preset is the
 * default table with a guarantee: only the outcomes that pass ({@link Outcome#isPassing()}: UP, DEGRADED) answer 2xx/3xx, which kubelet,
 * load balancers and most monitors count as success; a builder started from it refuses a change that breaks that.
 * The body is not affected: its {@code status}/{@code outcome} always follow the outcome. Immutable, thread-safe.
 */
public final class StatusPolicy {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED = Set.of(
            "content-type",
            "content-length",
            "transfer-encoding",
            "connection",
            "cache-control",
            "x-content-type-options",
            "retry-after");
    private static final StatusPolicy DEFAULTS_POLICY = new Builder(false).build();
    private static final StatusPolicy KUBELET_SAFE_POLICY = new Builder(true).build();
    private static final StatusPolicy CONSUL_POLICY =
            builder().status(Outcome.DEGRADED, 429).build();
    private static final StatusPolicy ENVOY_POLICY = builder()
            .header(Outcome.DEGRADED, "x-envoy-degraded", "true")
            .withdrawnHeader("x-envoy-immediate-health-check-fail", "true")
            .build();

    private final Map<Outcome, Integer> statuses;
    private final Map<Outcome, Map<String, String>> headers;
    private final Map<String, String> withdrawn;
    private final boolean kubeletSafe;

    private StatusPolicy(Builder b) {
        this.statuses = Collections.unmodifiableMap(new EnumMap<>(b.statuses));
        Map<Outcome, Map<String, String>> h = new EnumMap<>(Outcome.class);
        b.headers.forEach((o, m) -> h.put(o, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        this.headers = Collections.unmodifiableMap(h);
        this.withdrawn = Collections.unmodifiableMap(new LinkedHashMap<>(b.withdrawn));
        this.kubeletSafe = b.kubeletSafe;
    }

    /** The presets by name, for configuration files (servlet init parameter, Spring Boot property). */
    public enum Preset {
        /** {@link StatusPolicy#defaults()}. */
        DEFAULTS,
        /** {@link StatusPolicy#consul()}: DEGRADED answers 429. */
        CONSUL,
        /**
         * {@link StatusPolicy#envoy()}: DEGRADED answers carry {@code x-envoy-degraded}; answers while draining or out
         * of service carry {@code x-envoy-immediate-health-check-fail}.
         */
        ENVOY,
        /** {@link StatusPolicy#kubeletSafe()}: only UP and DEGRADED answer 2xx/3xx. */
        KUBELET_SAFE;

        /** @return the preset's policy */
        public StatusPolicy policy() {
            return switch (this) {
                case DEFAULTS -> DEFAULTS_POLICY;
                case CONSUL -> CONSUL_POLICY;
                case ENVOY -> ENVOY_POLICY;
                case KUBELET_SAFE -> KUBELET_SAFE_POLICY;
            };
        }

        /**
         * @param name {@code defaults}, {@code consul}, {@code envoy} or {@code kubelet-safe} (any case, {@code -}
         *             or {@code _})
         * @return the preset
         * @throws IllegalArgumentException for another name
         */
        public static Preset of(String name) {
            Objects.requireNonNull(name, "name");
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "status policy must be defaults, consul, envoy or kubelet-safe: " + name);
            }
        }
    }

    /** @return the default table: UP and DEGRADED 200, DOWN 503, LOCKED 423, LICENSE_INVALID 402, ERROR 500 */
    public static StatusPolicy defaults() {
        return DEFAULTS_POLICY;
    }

    /** @return the default table with DEGRADED answering 429, which Consul's HTTP check reports as "warning" */
    public static StatusPolicy consul() {
        return CONSUL_POLICY;
    }

    /**
     * @return the default table with {@code x-envoy-degraded: true} on DEGRADED answers, which Envoy's active health
     *     checking takes as "degraded" (the host stays in rotation at lower priority), and
     *     {@code x-envoy-immediate-health-check-fail: true} on answers while the instance is draining, closed or out of
     *     service, which makes Envoy drop the host at once instead of after its unhealthy threshold
     */
    public static StatusPolicy envoy() {
        return ENVOY_POLICY;
    }

    /** @return the default table, guaranteed: only UP and DEGRADED answer 2xx/3xx (see the class comment) */
    public static StatusPolicy kubeletSafe() {
        return KUBELET_SAFE_POLICY;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder(false);
    }

    /** @return a builder starting from this policy (keeping the kubelet-safe guarantee if this one has it) */
    public Builder toBuilder() {
        Builder b = new Builder(kubeletSafe);
        b.statuses.putAll(statuses);
        headers.forEach((o, m) -> b.headers.put(o, new LinkedHashMap<>(m)));
        b.withdrawn.putAll(withdrawn);
        return b;
    }

    /**
     * @param outcome an outcome
     * @return its HTTP status
     */
    public int status(Outcome outcome) {
        return Objects.requireNonNull(
                statuses.get(Objects.requireNonNull(outcome, "outcome")), "every outcome has a status");
    }

    /**
     * @param report a report
     * @return the headers this policy adds to the answer for it (configured ones, then {@code Retry-After}), in order
     */
    public Map<String, String> headers(HealthReport report) {
        Map<String, String> configured = headers.getOrDefault(report.outcome(), Map.of());
        int status = status(report.outcome());
        Duration retryAfter = report.retryAfter();
        boolean retry = retryAfter != null && (status == 423 || status == 429 || status == 503);
        boolean withdraw = !withdrawn.isEmpty() && withdrawn(report);
        if (!retry && !withdraw) {
            return configured;
        }
        Map<String, String> h = new LinkedHashMap<>(configured);
        if (withdraw) {
            h.putAll(withdrawn);
        }
        if (retryAfter == null || !retry) {
            return h;
        }
        h.put("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        return h;
    }

    /** Whether a report says the instance is withdrawn from rotation on purpose (draining, closed, out of service). */
    private static boolean withdrawn(HealthReport report) {
        List<Issue> issues = report.issues();
        for (int i = 0, n = issues.size(); i < n; i++) {
            if (issues.get(i).subject() instanceof IssueSubject.Lifecycle l
                    && l.phase().withdrawn()) {
                return true;
            }
        }
        return false;
    }

    /** @return whether this policy carries the kubelet-safe guarantee */
    public boolean isKubeletSafe() {
        return kubeletSafe;
    }

    /** The default table: what each outcome answers unless a policy says otherwise. */
    private static int defaultStatus(Outcome outcome) {
        return switch (outcome) {
            case ERROR -> 500;
            case LICENSE_INVALID -> 402;
            case LOCKED -> 423;
            case DOWN -> 503;
            case DEGRADED, UP -> 200;
        };
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof StatusPolicy p
                && p.statuses.equals(statuses)
                && p.headers.equals(headers)
                && p.withdrawn.equals(withdrawn)
                && p.kubeletSafe == kubeletSafe;
    }

    @Override
    public int hashCode() {
        return Objects.hash(statuses, headers, withdrawn, kubeletSafe);
    }

    @Override
    public String toString() {
        return "StatusPolicy" + statuses + (headers.isEmpty() ? "" : " headers " + headers)
                + (withdrawn.isEmpty() ? "" : " withdrawn " + withdrawn) + (kubeletSafe ? " kubelet-safe" : "");
    }

    /** Builds a {@link StatusPolicy}. Not thread-safe. */
    public static final class Builder {
        private final Map<Outcome, Integer> statuses = new EnumMap<>(Outcome.class);
        private final Map<Outcome, Map<String, String>> headers = new EnumMap<>(Outcome.class);
        private final Map<String, String> withdrawn = new LinkedHashMap<>();
        private final boolean kubeletSafe;

        private Builder(boolean kubeletSafe) {
            this.kubeletSafe = kubeletSafe;
            for (Outcome o : Outcome.values()) {
                statuses.put(o, defaultStatus(o)); // the default table: here, once
            }
        }

        /**
         * @param outcome an outcome
         * @param code    the status it answers with, 200 to 599 (not 204: health answers carry a body)
         * @return this builder
         * @throws IllegalArgumentException if out of range, or, on a kubelet-safe builder, if a passing outcome
         *                                  would leave 2xx/3xx or a failing one enter it
         */
        public Builder status(Outcome outcome, int code) {
            Objects.requireNonNull(outcome, "outcome");
            if (code < 200 || code > 599 || code == 204 || code == 304) {
                throw new IllegalArgumentException("status must be 200 to 599 and not 204 or 304: " + code);
            }
            if (kubeletSafe && outcome.isPassing() != (code < 400)) {
                throw new IllegalArgumentException("kubelet-safe: " + outcome
                        + (outcome.isPassing() ? " must pass and answer 2xx/3xx" : " must fail and answer 4xx/5xx")
                        + ", not " + code);
            }
            statuses.put(outcome, code);
            return this;
        }

        /**
         * Adds a header to every answer with this outcome, e.g. {@code x-envoy-degraded} on DEGRADED.
         *
         * @param outcome an outcome
         * @param name    header name (an HTTP token; not one the handler sets itself, such as {@code Content-Type},
         *                {@code Cache-Control} or {@code Retry-After})
         * @param value   header value (visible ASCII and spaces)
         * @return this builder
         * @throws IllegalArgumentException for an invalid or reserved name, or an invalid value
         */
        public Builder header(Outcome outcome, String name, String value) {
            Objects.requireNonNull(outcome, "outcome");
            validHeader(name, value);
            headers.computeIfAbsent(outcome, o -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /**
         * Adds a header to every answer while the instance is withdrawn from rotation on purpose: draining for
         * shutdown, closed, or taken out of service by an operator (whatever the outcome), e.g. Envoy's
         * {@code x-envoy-immediate-health-check-fail}.
         *
         * @param name  header name (same rules as {@link #header(Outcome, String, String)})
         * @param value header value (visible ASCII and spaces)
         * @return this builder
         * @throws IllegalArgumentException for an invalid or reserved name, or an invalid value
         */
        public Builder withdrawnHeader(String name, String value) {
            validHeader(name, value);
            withdrawn.put(name, value);
            return this;
        }

        private static void validHeader(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!TOKEN.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("invalid or reserved header name: " + name);
            }
            if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("header value must be visible ASCII: " + name);
            }
        }

        /** @return the policy */
        public StatusPolicy build() {
            return new StatusPolicy(this);
        }
    }
}
