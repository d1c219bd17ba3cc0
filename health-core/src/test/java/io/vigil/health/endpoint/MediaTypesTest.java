package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.format.MicroProfileJsonWriter;
import io.vigil.health.format.ReportWriter;
import io.vigil.health.format.StatusPageWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {
    private final ReportWriter json = new MicroProfileJsonWriter(false);
    private final ReportWriter page = new StatusPageWriter(Duration.ZERO);
    private final MediaTypes types = new MediaTypes(json, page);

    private ReportWriter chosen(String accept) {
        MediaTypes.Choice c = types.negotiate(accept);
        assertThat(c.error()).as(accept).isNull();
        return c.writer();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "  ",
                "application/json",
                "*/*",
                "application/*",
                "APPLICATION/JSON",
                "text/html;q=0.5, */*",
                "*/*, text/html",
                "application/json, text/html",
                "application/json;charset=utf-8",
                "application/json, */*",
                "text/html;q=0, */*"
            })
    void jsonIsTheDefault(String accept) {
        assertThat(chosen(accept)).isSameAs(json);
    }

    @Test
    void eachRepresentationHasItsMediaType() {
        assertThat(chosen("application/fhir+json")).isSameAs(MediaTypes.FHIR);
        assertThat(chosen("application/json+fhir")).isSameAs(MediaTypes.FHIR);
        assertThat(chosen("application/health+json")).isSameAs(MediaTypes.HEALTH_JSON);
        assertThat(chosen("text/plain")).isSameAs(MediaTypes.TEXT);
        assertThat(chosen("text/*")).isSameAs(MediaTypes.TEXT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/html",
                "TEXT/HTML",
                "text/html, */*;q=0.1",
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "text/html;q=0.9, application/json;q=0.5",
                "text/html;charset=utf-8"
            })
    void aBrowserNavigationGetsTheStatusPage(String accept) {
        assertThat(chosen(accept)).isSameAs(page);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/xhtml+xml", "application/xml", "image/png", "text/html;q=0"})
    void noOtherTypeAndNoWildcardSelectsThePage(String accept) {
        MediaTypes.Choice c = types.negotiate(accept);
        assertThat(c.status()).as(accept).isEqualTo(406);
        assertThat(chosen("text/*")).isSameAs(MediaTypes.TEXT);
    }

    @Test
    void theHighestQualityWinsAndTheFirstWinsATie() {
        assertThat(chosen("text/plain;q=0.5, application/fhir+json")).isSameAs(MediaTypes.FHIR);
        assertThat(chosen("text/plain;q=0.9, application/fhir+json;q=0.4")).isSameAs(MediaTypes.TEXT);
        assertThat(chosen("text/plain, application/fhir+json")).isSameAs(MediaTypes.TEXT);
        assertThat(chosen("text/plain;q=0, application/health+json;q=0.001")).isSameAs(MediaTypes.HEALTH_JSON);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "json",
                "/json",
                "application/",
                "appli cation/json",
                ";",
                "text/plain;q",
                "text/plain;=1",
                "text/plain;q=abc",
                "text/plain;q=2",
                "text/plain;q=-1",
                "text/plain;q=NaN",
                "a/b/c"
            })
    void malformedHeadersAre400(String accept) {
        MediaTypes.Choice c = types.negotiate(accept);
        assertThat(c.status()).as(accept).isEqualTo(400);
        assertThat(c.writer()).isNull();
    }

    @Test
    void aHeaderLongerThanTheLimitIs400() {
        assertThat(types.negotiate("text/plain, " + "x".repeat(MediaTypes.MAX_ACCEPT))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void nothingAvailableIs406() {
        MediaTypes.Choice c = types.negotiate("application/xml, image/png;q=0.5, text/plain;q=0, text/html;q=0");
        assertThat(c.status()).isEqualTo(406);
        assertThat(c.error()).contains("application/json");
    }
}
