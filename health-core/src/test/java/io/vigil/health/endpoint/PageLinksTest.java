package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Probe;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageLinksTest {

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource({
        "/health,           /health,  '',  health/live",
        "/health/,          /health,  '',  live",
        "/health/live,      /health,  '',  live",
        "/health/group/core,/health,  '',  ../live",
        "/livez,            /health,  '',  health/live",
        "/R4/$readiness,    /health,  R4,  health/live",
        "/R4/%24readiness,  /health,  R4,  health/live",
        "/STU3/health/ready,/health,  STU3, live",
        "/,                 '',       '',  live",
        "/readyz,           '',       '',  live",
        "/R4/livez,         /ops/health, R4, ops/health/live",
    })
    void linksAreRelativeAndResolveToTheSamePrefix(String page, String base, String prefix, String live) {
        String p = prefix.isEmpty() ? null : prefix;
        String href = PageLinks.probes(page, base, p).get(Probe.LIVENESS);
        assertThat(href).isEqualTo(live).doesNotStartWith("/");
        // behind a proxy that adds /svc/a, the link resolves to the proxied probe path
        URI proxied = URI.create("http://proxy.example/svc/a" + page).resolve(href);
        assertThat(proxied.getPath()).isEqualTo("/svc/a" + (p == null ? "" : "/" + p) + base + "/live");
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource({
        "/health/ready,   /health, '', ../health",
        "/health/,        /health, '', ../health",
        "/livez,          /health, '', health",
        "/R4/$readiness,  /health, R4, health",
        "/live,           '',      '', ./",
        "/R4/live,        '',      R4, ./",
    })
    void theAllChecksLinkIsRelativeToo(String page, String base, String prefix, String all) {
        assertThat(PageLinks.all(page, base, prefix.isEmpty() ? null : prefix)).isEqualTo(all);
    }
}
