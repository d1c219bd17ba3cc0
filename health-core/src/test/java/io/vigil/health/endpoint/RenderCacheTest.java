package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.format.MicroProfileJsonWriter;
import io.vigil.health.format.ReportWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RenderCacheTest {
    /** Counts how often it really serialises. */
    private static final class CountingWriter implements ReportWriter {
        final AtomicInteger writes = new AtomicInteger();
        private final ReportWriter json = new MicroProfileJsonWriter(false);

        @Override
        public String contentType() {
            return json.contentType();
        }

        @Override
        public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
            writes.incrementAndGet();
            json.write(report, details, out);
        }
    }

    private final HealthRegistry registry =
            HealthRegistry.builder().startedImmediately().logTransitions(false).build();
    private final RenderCache cache = new RenderCache();
    private final CountingWriter writer = new CountingWriter();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void aReportEqualInValueToThePreviousReusesItsBytesThoughItIsAnotherInstance() {
        HealthReport first = registry.evaluate(Scope.of(Probe.READINESS), Set.of());
        HealthReport second = registry.evaluate(Scope.of(Probe.READINESS), Set.of());
        assertThat(second).isNotSameAs(first);
        byte[] a = cache.render(first, writer, false);
        byte[] b = cache.render(second, writer, false);
        assertThat(b).isSameAs(a);
        assertThat(writer.writes).hasValue(1);
    }

    @Test
    void aCachedCheckIsServedWithoutSerialisingAgain() {
        registry.register(
                "db",
                CheckResult::up,
                CheckPolicy.builder().cacheTtl(Duration.ofHours(1)).build());
        byte[] fresh = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        byte[] a = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        byte[] b = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        assertThat(a).isNotEqualTo(fresh); // "cached": true from the second evaluation on
        assertThat(b).isSameAs(a);
        assertThat(writer.writes).hasValue(2);
    }

    @Test
    void aChangedCheckDetailsOrWriterRendersAfresh() {
        AtomicReference<CheckResult> result = new AtomicReference<>(CheckResult.up());
        registry.register(
                "db", result::get, CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        byte[] up = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        result.set(CheckResult.down("gone"));
        byte[] down = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        assertThat(new String(down, java.nio.charset.StandardCharsets.UTF_8)).contains("DOWN");
        assertThat(down).isNotEqualTo(up);
        HealthReport report = registry.evaluate(Scope.of(Probe.READINESS), Set.of());
        byte[] withDetails = cache.render(report, writer, true);
        assertThat(new String(withDetails, java.nio.charset.StandardCharsets.UTF_8))
                .contains("gone");
        byte[] other = cache.render(report, MediaTypes.TEXT, false);
        assertThat(new String(other, java.nio.charset.StandardCharsets.UTF_8)).contains("[-]db");
        assertThat(writer.writes).hasValue(3);
    }

    @Test
    void reportsOfDifferentScopesNeverShareABody() {
        byte[] ready = cache.render(registry.evaluate(Scope.of(Probe.READINESS), Set.of()), writer, false);
        byte[] live = cache.render(registry.evaluate(Scope.of(Probe.LIVENESS), Set.of()), writer, false);
        assertThat(live).isNotSameAs(ready);
        assertThat(writer.writes).hasValue(2);
    }
}
