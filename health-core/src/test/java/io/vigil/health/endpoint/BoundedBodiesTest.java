package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand held locks: every representation lists at most {@link HealthReport#MAX_LISTED_LOCKS} and says how many
 * it left out; liveness, which ignores locks, lists none. Before, readiness answered 2.6 MB and liveness 1.1 MB.
 */
class BoundedBodiesTest {
    private static final int LOCKS = 10_000;
    private static final int NOT_LISTED = LOCKS - HealthReport.MAX_LISTED_LOCKS;
    private static final String[] ACCEPTS = {
        "application/json", "application/health+json", "application/fhir+json", "text/plain", "text/html"
    };
    private final HealthRegistry registry =
            HealthRegistry.builder().startedImmediately().logTransitions(false).build();
    private final List<TaskLock> held = new ArrayList<>();

    @AfterEach
    void close() {
        held.forEach(TaskLock::close);
        registry.close();
    }

    private String body(HealthHandler handler, String path, String accept) {
        HealthResponse r = handler.handle(HealthRequest.builder("GET", path)
                .accept(accept)
                .authorized(true)
                .build());
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void tenThousandLocksAreListedUpToTheCapWithHowManyMoreInEveryRepresentation() {
        for (int i = 0; i < LOCKS; i++) {
            held.add(registry.lock("import-batch-" + i, "Importing batch " + i + " of the nightly load"));
        }
        for (boolean strict : new boolean[] {false, true}) {
            HealthHandler handler = HealthHandler.builder(registry)
                    .details(DetailsPolicy.ALWAYS)
                    .strictMicroProfile(strict)
                    .build();
            for (String accept : ACCEPTS) {
                String ready = body(handler, "/health/ready", accept);
                assertThat(ready.length())
                        .as("%s readiness (strict %s)", accept, strict)
                        .isLessThan(64 * 1024);
                assertThat(ready)
                        .as("%s readiness (strict %s)", accept, strict)
                        .contains("import-batch-0")
                        .contains(String.valueOf(NOT_LISTED))
                        .doesNotContain("import-batch-" + (LOCKS - 1));

                String live = body(handler, "/health/live", accept);
                assertThat(live.length()).as("%s liveness", accept).isLessThan(16 * 1024);
                assertThat(live).as("%s liveness lists no lock", accept).doesNotContain("import-batch-");
            }
        }
        HealthReport r = registry.evaluate(Probe.READINESS);
        assertThat(r.locks()).hasSize(HealthReport.MAX_LISTED_LOCKS);
        assertThat(r.lockCount()).isEqualTo(LOCKS);
        assertThat(registry.evaluate(Probe.LIVENESS).lockCount()).isZero();
    }
}
