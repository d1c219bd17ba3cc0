package io.vigil.health.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.config.HealthSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Proof that every endpoint setting of {@link HealthSettings} takes effect through an entry point: one non-default
 * value per setting and what a client then sees. An entry point's test sets each {@link Sample} alone through its
 * own medium (servlet init parameter, context parameter, MicroProfile Config, Spring Boot property), builds its
 * handler as a user would, and runs {@link Sample#verify(Client)} against it. {@link #samples()} fails when a
 * setting has no sample, so a new setting cannot skip the entry points.
 *
 * <p>The fixture every entry point provides: readiness has one REQUIRED check named {@value #CHECK} whose data
 * holds {@code product=H2}; it is UP, or DEGRADED when {@link Sample#degraded()} asks for it. The check-default
 * samples ({@link #checkDefaultSamples()}) need the check registered the way the entry point registers checks (so
 * that its defaults apply) and, for {@link Sample#slow()}, a check that takes longer than the default timeout:
 * {@link #fixture(Sample)} is that check. {@link #refusals()} are invalid values every entry point must refuse with
 * the specification's message.
 */
public final class SettingsContract {
    /** Name of the fixture's check. */
    public static final String CHECK = "orders-db";

    private SettingsContract() {}

    /**
     * An answer as a client sees it.
     *
     * @param status  HTTP status
     * @param headers header name (lower case) → value
     * @param body    body text
     */
    public record Answer(int status, Map<String, String> headers, String body) {}

    /** Sends a GET to the entry point's mount. */
    @FunctionalInterface
    public interface Client {
        /**
         * @param path   path from the mount root, e.g. {@code /health/ready}
         * @param accept the {@code Accept} header, or {@code null}
         * @return the answer
         * @throws Exception from the transport
         */
        Answer get(String path, @Nullable String accept) throws Exception;
    }

    /** What a client must see once the sample is set. */
    @FunctionalInterface
    public interface Effect {
        /**
         * @param client the entry point's client
         * @throws Exception from the client
         */
        void verify(Client client) throws Exception;
    }

    /**
     * One setting's sample.
     *
     * @param setting  the setting
     * @param value    its text
     * @param degraded whether the fixture's check must be DEGRADED for the effect to show
     * @param slow     whether the fixture's check must take longer than the default timeout
     * @param effect   what a client then sees
     */
    public record Sample(
            HealthSettings.Setting<?> setting, String value, boolean degraded, boolean slow, Effect effect) {
        /**
         * A sample whose check is fast.
         *
         * @param setting  the setting
         * @param value    its text
         * @param degraded whether the fixture's check must be DEGRADED for the effect to show
         * @param effect   what a client then sees
         */
        public Sample(HealthSettings.Setting<?> setting, String value, boolean degraded, Effect effect) {
            this(setting, value, degraded, false, effect);
        }

        /**
         * @param client the entry point's client
         * @throws Exception from the client or a failed assertion
         */
        public void verify(Client client) throws Exception {
            effect.verify(client);
        }

        @Override
        public String toString() {
            return setting.key() + "=" + value;
        }
    }

    /**
     * @return one sample per endpoint setting ({@link HealthSettings#endpoint()})
     * @throws AssertionError if a setting has none
     */
    public static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample(HealthSettings.BASE_PATH, "/custom", false, c -> {
            assertThat(c.get("/custom/ready", null).status()).isEqualTo(200);
            assertThat(c.get("/health/ready", null).status()).isEqualTo(404);
        }));
        s.add(new Sample(HealthSettings.VERSION_PREFIXES, "V1, V2", false, c -> {
            assertThat(c.get("/V2/health/ready", null).status()).isEqualTo(200);
            assertThat(c.get("/V1/readyz", null).status()).isEqualTo(200);
        }));
        s.add(new Sample(HealthSettings.PATH_ALIASES, "/rdy=readiness, /api/health/ready=readiness", false, c -> {
            Answer a = c.get("/api/health/ready", null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains(CHECK);
            assertThat(c.get("/rdy", null).status()).isEqualTo(200);
        }));
        s.add(new Sample(
                HealthSettings.DETAILS,
                "always",
                false,
                c -> assertThat(c.get("/health/ready", "application/json").body())
                        .contains("H2")));
        s.add(new Sample(
                HealthSettings.STRICT_MICROPROFILE,
                "true",
                false,
                c -> assertThat(c.get("/health/ready", "application/json").body())
                        .contains("\"status\"")
                        .doesNotContain("\"outcome\"")
                        .doesNotContain("operationOutcome")));
        s.add(new Sample(
                HealthSettings.JSON_FORMAT,
                "status-word",
                false,
                c -> assertThat(c.get("/health/ready", "application/json").body())
                        .contains("\"healthy\"")));
        s.add(new Sample(
                HealthSettings.STATUS_POLICY,
                "consul",
                true,
                c -> assertThat(c.get("/health/ready", null).status()).isEqualTo(429)));
        s.add(new Sample(
                HealthSettings.PAGE_REFRESH,
                "7s",
                false,
                c -> assertThat(c.get("/health/ready", "text/html").body()).contains("content=\"7\"")));
        s.add(new Sample(
                HealthSettings.OPERATOR_CONTROL,
                "true",
                false,
                c -> assertThat(c.get("/health/out-of-service", null).status())
                        .as("the control exists: GET is 405")
                        .isEqualTo(405)));
        List<HealthSettings.Setting<?>> covered =
                s.stream().map(Sample::setting).toList();
        assertThat(covered)
                .as("a sample for every endpoint setting")
                .containsExactlyInAnyOrderElementsOf(HealthSettings.endpoint());
        return List.copyOf(s);
    }

    /** How long the {@link Sample#slow() slow} fixture takes: half a second past the default timeout. */
    public static final Duration SLOW = HealthSettings.defaults().timeout().plusMillis(500);

    /**
     * One sample per check default (every setting of {@link HealthSettings#all()} that is not an endpoint setting),
     * for the entry points that register checks (MicroProfile, Spring Boot, the example): the servlet entry points
     * serve a registry the application built and registered itself.
     *
     * @return the samples
     * @throws AssertionError if a setting has none
     */
    public static List<Sample> checkDefaultSamples() {
        List<Sample> s = new ArrayList<>();
        // slower than the default timeout: DOWN (timed out) unless the setting gave it more time
        s.add(new Sample(HealthSettings.TIMEOUT, "1m", false, true, c -> {
            Answer a = c.get("/health/ready", "application/json");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
        }));
        // the second answer right after the first would be the cached first result under the default TTL
        s.add(new Sample(HealthSettings.CACHE_TTL, "0", false, c -> {
            c.get("/health/ready", "text/html");
            // the status page shows whether each result was cached, in every JSON mode (strict MicroProfile too)
            assertThat(c.get("/health/ready", "text/html").body())
                    .contains("data-label=\"cached\">no<")
                    .doesNotContain("data-label=\"cached\">yes<");
        }));
        List<HealthSettings.Setting<?>> covered = new ArrayList<>(HealthSettings.endpoint());
        s.forEach(x -> covered.add(x.setting()));
        assertThat(covered)
                .as("a sample for every setting of the specification")
                .containsExactlyInAnyOrderElementsOf(HealthSettings.all());
        return List.copyOf(s);
    }

    /**
     * The fixture's check for a sample: UP or DEGRADED with {@code product=H2}, taking {@link #SLOW} when the sample
     * asks for a slow one. Entry points that register checks in their own way (a MicroProfile procedure) wrap it.
     *
     * @param sample the sample
     * @return the check
     */
    public static HealthCheck fixture(Sample sample) {
        return () -> {
            if (sample.slow()) {
                Thread.sleep(SLOW.toMillis()); // a slow dependency, not a wait for a condition
            }
            return (sample.degraded() ? CheckResult.degraded("slow") : CheckResult.up()).withData("product", "H2");
        };
    }

    /**
     * An invalid value and the message the specification gives for it (starting with the key, e.g.
     * {@code base-path: must be empty ...}); an entry point's failure must carry that message.
     *
     * @param setting the setting
     * @param value   the invalid text
     */
    public record Refusal(HealthSettings.Setting<?> setting, String value) {
        /** @return the specification's message for this value */
        public String message() {
            try {
                setting.parse(value);
            } catch (IllegalArgumentException e) {
                return String.valueOf(e.getMessage());
            }
            throw new AssertionError(this + " is valid");
        }

        @Override
        public String toString() {
            return setting.key() + "=" + value;
        }
    }

    /** @return invalid values of the settings whose rules entry points used to repeat (paths, prefixes, durations) */
    public static List<Refusal> refusals() {
        return List.of(
                new Refusal(HealthSettings.BASE_PATH, "health/"),
                new Refusal(HealthSettings.BASE_PATH, "/health/"),
                new Refusal(HealthSettings.VERSION_PREFIXES, "R4/x"),
                new Refusal(HealthSettings.TIMEOUT, "0"),
                new Refusal(HealthSettings.CACHE_TTL, "-1s"));
    }
}
