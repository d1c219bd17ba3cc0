package io.vigil.health.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.config.HealthSettings;
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
 * holds {@code product=H2}; it is UP, or DEGRADED when {@link Sample#degraded()} asks for it.
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
     * @param effect   what a client then sees
     */
    public record Sample(HealthSettings.Setting setting, String value, boolean degraded, Effect effect) {
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
        List<HealthSettings.Setting> covered = s.stream().map(Sample::setting).toList();
        assertThat(covered)
                .as("a sample for every endpoint setting")
                .containsExactlyInAnyOrderElementsOf(HealthSettings.endpoint());
        return List.copyOf(s);
    }
}
