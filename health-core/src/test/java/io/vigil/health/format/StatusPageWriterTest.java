package io.vigil.health.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class StatusPageWriterTest {
    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");
    private static final StatusPageWriter PAGE = new StatusPageWriter(Duration.ofSeconds(5));
    private static final String NASTY = "<script>alert('x')</script>\"quoted\" & 'single' </td></table>"
            + "\u0000\u0007\u001b[31m\r\n\u0085 Zürich ✓ 日本 \ud83d\ude00 \ud800 \uffff ]]> <!-- -->";

    private static String write(HealthReport r, StatusPageWriter.Context context, boolean details) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PAGE.write(r, context, details, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static HealthReport nastyReport() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(NASTY, NASTY);
        data.put("huge", "y".repeat(200_000));
        for (int i = 0; i < 100; i++) {
            data.put("k" + i, i);
        }
        CheckEntry db = CheckEntry.builder(NASTY)
                .status(Status.DOWN)
                .cause(Cause.EXCEPTION)
                .message(NASTY + "x".repeat(500_000))
                .data(data)
                .duration(Duration.ofMillis(3))
                .checkedAt(T)
                .build();
        LockInfo lock =
                LockInfo.of(NASTY, T.minusSeconds(90)).withDescription(NASTY).withMaxDuration(Duration.ofMinutes(10));
        LicenseState lic = LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee(NASTY)
                .withMessage(NASTY)
                .withExpires(T.plus(Duration.ofDays(3)));
        return HealthReport.builder(Scope.group(NASTY), Outcome.DOWN)
                .checks(List.of(db))
                .locks(List.of(lock))
                .license(lic)
                .issues(List.of(Issue.of(
                                IssueSeverity.ERROR,
                                new IssueSubject.Check(NASTY, db.kind(), db.cause()),
                                "Required check " + NASTY + " failed")
                        .withDetail(NASTY)))
                .timestamp(T)
                .build();
    }

    @Test
    void nastyValuesAreEscapedAndThePageStaysWellFormed() throws IOException {
        for (boolean details : new boolean[] {false, true}) {
            String page = write(nastyReport(), StatusPageWriter.Context.none(), details);
            Document dom = WellFormed.parse(page);
            assertThat(dom.getElementsByTagName("script").getLength()).isZero();
            assertThat(page)
                    .doesNotContain(
                            "<script",
                            "'x'",
                            "\u0000",
                            "\u0007",
                            "\u001b",
                            "\u0085",
                            "\uffff",
                            "\ud800",
                            "]]>",
                            "<!-- -->");
            assertThat(page.length()).as("clipped like every representation").isLessThan(40_000);
            assertThat(page)
                    .contains(
                            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;quoted&quot; &amp; "
                                    + "&#39;single&#39;",
                            "Zürich ✓ 日本 \ud83d\ude00");
            // the markup the page itself writes is intact: one table row per check, one per lock
            assertThat(rows(dom, "checks")).isEqualTo(1);
            assertThat(rows(dom, "locks")).isEqualTo(1);
        }
    }

    @Test
    void theRawMarkupIsBalancedEvenWithoutAnXmlParser() throws IOException {
        String page = write(nastyReport(), StatusPageWriter.Context.none(), true);
        for (String tag : List.of("table", "tr", "td", "section", "ul", "li", "p", "span", "strong", "code")) {
            assertThat(count(page, "<" + tag + "[ >]")).as(tag).isEqualTo(count(page, "</" + tag + ">"));
        }
    }

    @Test
    void namesAndStatusesAlwaysShowDetailsOnlyWhenAllowed() throws IOException {
        CheckEntry db = CheckEntry.builder("db")
                .status(Status.DOWN)
                .message("refused by db-7")
                .data(Map.of("product", "PostgreSQL"))
                .checkedAt(T)
                .build();
        LockInfo lock = LockInfo.of("schema-migration", T.minusSeconds(5)).withDescription("Migrating to v42");
        LicenseState lic = LicenseState.of(LicenseValidity.VALID)
                .withLicensee("Acme Corp")
                .withExpires(T.plus(Duration.ofDays(40)).plusSeconds(5));
        HealthReport r = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.LOCKED)
                .checks(List.of(db))
                .locks(List.of(lock))
                .license(lic)
                .issues(List.of(Issue.of(
                                IssueSeverity.ERROR,
                                new IssueSubject.Lock("schema-migration"),
                                "Locked by task 'schema-migration'")
                        .withDetail("Migrating to v42")))
                .timestamp(T)
                .build();
        String anonymous = write(r, StatusPageWriter.Context.none(), false);
        String admin = write(r, StatusPageWriter.Context.none(), true);
        for (String page : List.of(anonymous, admin)) {
            assertThat(page)
                    .contains(
                            ">db<",
                            ">DOWN<",
                            ">LOCKED<",
                            "schema-migration",
                            ">VALID<",
                            "40 days left",
                            "held for",
                            "5 s (since");
        }
        assertThat(anonymous)
                .doesNotContain("refused by db-7", "PostgreSQL", "Migrating to v42", "Acme Corp")
                .contains("details withheld");
        assertThat(admin).contains("refused by db-7", "product=PostgreSQL", "Migrating to v42", "Acme Corp");
    }

    @Test
    void theTopShowsTheOutcomeAndEveryProbeWithItsLink() throws IOException {
        HealthReport r = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.DOWN)
                .timestamp(T)
                .build();
        StatusPageWriter.Context c = new StatusPageWriter.Context(
                Map.of(Probe.LIVENESS, Outcome.UP, Probe.READINESS, Outcome.UP),
                Map.of(Probe.LIVENESS, "live", Probe.READINESS, "ready", Probe.STARTUP, "started"),
                "../health");
        Document dom = WellFormed.parse(write(r, c, false));
        assertThat(text(dom, "outcome")).isEqualTo("Readiness: DOWN");
        assertThat(text(dom, "probes"))
                .contains("all checks", "liveness UP", "readiness DOWN", "startup NOT ASKED YET")
                .as("this page's own evaluation wins over the last one")
                .doesNotContain("readiness UP");
        NodeList links = dom.getElementsByTagName("a");
        List<String> hrefs = new java.util.ArrayList<>();
        for (int i = 0; i < links.getLength(); i++) {
            hrefs.add(((Element) links.item(i)).getAttribute("href"));
        }
        assertThat(hrefs).containsExactly("../health", "live", "ready", "started", "?verbose");
    }

    @Test
    void onlyRelativeLinksAndNothingThatLoads() throws IOException {
        for (HealthReport r : GoldenWritersTest.fixtures().values()) {
            String page = write(r, new StatusPageWriter.Context(Map.of(), Map.of(Probe.LIVENESS, "live"), "./"), true);
            assertThat(page)
                    .doesNotContain(
                            "href=\"/",
                            "href=\"http",
                            "src=",
                            "<script",
                            "<link",
                            "<img",
                            "url(",
                            "@import",
                            "style=\"");
        }
    }

    @Test
    void theStyleSheetIsAllowedByItsHashAndNothingElseIs() throws Exception {
        String page = write(GoldenWritersTest.fixtures().get("readiness-up"), StatusPageWriter.Context.none(), false);
        Matcher m = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(page);
        assertThat(m.find()).isTrue();
        String hash = Base64.getEncoder()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(StatusPageWriter.CONTENT_SECURITY_POLICY)
                .startsWith("default-src 'none';")
                .contains("style-src 'sha256-" + hash + "'", "frame-ancestors 'none'")
                .doesNotContain("unsafe", "script-src");
        assertThat(m.find()).as("one style sheet").isFalse();
        assertThat(page).contains("prefers-color-scheme:dark", "name=\"viewport\"", "max-width:40rem");
    }

    @Test
    void theRefreshIsASettingWithAnOffSwitch() throws IOException {
        HealthReport r =
                HealthReport.builder(Scope.all(), Outcome.UP).timestamp(T).build();
        assertThat(write(r, StatusPageWriter.Context.none(), false))
                .contains("<meta http-equiv=\"refresh\" content=\"5\"/>", "Reloads every 5 s");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StatusPageWriter(Duration.ZERO).write(r, false, out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .doesNotContain("http-equiv")
                .contains("Does not reload");
        assertThat(new StatusPageWriter(Duration.ofMillis(1500)).refresh()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new StatusPageWriter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutHistoryTheSinceColumnAndTransitionsSayNothingIsKnown() throws IOException {
        HealthReport unknown = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.UP)
                .checks(List.of(CheckEntry.builder("db").checkedAt(T).build()))
                .timestamp(T)
                .build();
        assertThat(StatusPageWriter.historyOf(unknown)).isEqualTo(StatusPageWriter.History.NONE);
        Document dom = WellFormed.parse(write(unknown, StatusPageWriter.Context.none(), false));
        assertThat(text(dom, "transitions")).isEqualTo("Recent transitions" + "no transitions recorded");
        assertThat(text(dom, "checks")).contains("since", "\u2014");
    }

    @Test
    void theSeamReadsTheEnginesHistoryFromTheReport() {
        Instant down = T.minusSeconds(125);
        HealthReport r = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.DOWN)
                .checks(List.of(
                        CheckEntry.builder("db")
                                .status(Status.DOWN)
                                .since(down)
                                .checkedAt(T)
                                .build(),
                        CheckEntry.builder("cache").checkedAt(T).build()))
                .transitions(List.of(Transition.of("db", Status.UP, Status.DOWN, Cause.EXCEPTION, down)))
                .since(down)
                .timestamp(T)
                .build();

        StatusPageWriter.History h = StatusPageWriter.historyOf(r);

        assertThat(h.scopeSince()).isEqualTo(down);
        assertThat(h.since()).containsExactly(Map.entry("db", down));
        assertThat(h.transitions())
                .containsExactly(new StatusPageWriter.Transition("db", "UP", "DOWN", "EXCEPTION", down));
    }

    @Test
    void theHistorySeamFillsSinceAndTheTransitionsNewestFirst() {
        CheckEntry db =
                CheckEntry.builder("db").status(Status.DOWN).checkedAt(T).build();
        CheckEntry cache = CheckEntry.builder("cache")
                .criticality(Criticality.OPTIONAL)
                .checkedAt(T)
                .build();
        HealthReport r = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.DOWN)
                .checks(List.of(db, cache))
                .timestamp(T)
                .build();
        StatusPageWriter.History h = new StatusPageWriter.History(
                T.minusSeconds(125),
                Map.of("db", T.minusSeconds(125)),
                List.of(
                        new StatusPageWriter.Transition("db", "UP", "DOWN", "EXCEPTION", T.minusSeconds(125)),
                        new StatusPageWriter.Transition("<db>", "DOWN", "UP", "REPORTED", T.minusSeconds(600))));
        String page = PAGE.render(r, StatusPageWriter.Context.none(), h, false);
        Document dom = WellFormed.parse(page);
        assertThat(text(dom, "outcome")
                        + dom.getElementsByTagName("header").item(0).getTextContent())
                .contains("since 2026-01-15T09:57:55Z");
        assertThat(text(dom, "checks")).contains("2026-01-15T09:57:55Z (2 min 05 s ago)");
        assertThat(rows(dom, "transitions")).isEqualTo(2);
        String transitions = text(dom, "transitions");
        assertThat(transitions)
                .contains("2026-01-15T09:57:55ZdbUPDOWNEXCEPTION", "2026-01-15T09:50:00Z<db>DOWNUPREPORTED");
        assertThat(transitions.indexOf("09:57:55")).isLessThan(transitions.indexOf("09:50:00"));
        assertThat(page).doesNotContain("no transitions recorded").contains("&lt;db&gt;");
    }

    @Test
    void spansReadLikeAClock() {
        assertThat(StatusPageWriter.span(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(StatusPageWriter.span(Duration.ofSeconds(185))).isEqualTo("3 min 05 s");
        assertThat(StatusPageWriter.span(Duration.ofMinutes(127))).isEqualTo("2 h 07 min");
        assertThat(StatusPageWriter.span(Duration.ofHours(76))).isEqualTo("3 d 4 h");
        assertThat(StatusPageWriter.span(Duration.ofSeconds(-5))).isEqualTo("0 s");
    }

    private static Element byId(Document dom, String id) {
        NodeList all = dom.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        throw new AssertionError("no element #" + id);
    }

    private static String text(Document dom, String id) {
        return byId(dom, id).getTextContent();
    }

    private static int rows(Document dom, String section) {
        return byId(dom, section).getElementsByTagName("tbody").item(0) == null
                ? 0
                : ((Element) byId(dom, section).getElementsByTagName("tbody").item(0))
                        .getElementsByTagName("tr")
                        .getLength();
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
