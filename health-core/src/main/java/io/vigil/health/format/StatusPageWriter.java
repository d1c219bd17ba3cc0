package io.vigil.health.format;

import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code text/html}: a status page for people, served to a request whose {@code Accept} prefers {@code text/html}
 * (a browser navigation). At the top the outcome and each probe's last outcome; then the checks (name, status in
 * words and color, critical or optional, duration, since, last checked, cached), the conditions behind a non-UP
 * outcome, the locks (age, limit), the license (state, days left) and the recent transitions, newest first.
 *
 * <p>Names and statuses are always shown; messages, data, lock descriptions and the licensee only with details.
 * The page is self-contained: one inline style sheet allowed by its hash in {@link #CONTENT_SECURITY_POLICY} (send
 * that header with the page), no script, no external asset, relative links only (it works behind a reverse proxy
 * and under version prefixes). Every dynamic value is HTML-escaped, clipped like every other representation, and
 * control characters become spaces; the markup is also well-formed XML. It reloads itself every
 * {@code refresh} (a {@code <meta http-equiv="refresh">}), unless the refresh is zero. Stateless and thread-safe.
 */
public final class StatusPageWriter implements ReportWriter {
    /** The media type. */
    public static final String MEDIA_TYPE = "text/html";

    private static final String CSS = String.join(
            "",
            ":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;",
            "--up:#1a7f37;--degraded:#9a6700;--down:#cf222e;--locked:#8250df;--unknown:#59636e}",
            "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;",
            "--head:#151b23;--up:#3fb950;--degraded:#d29922;--down:#f85149;--locked:#a371f7;--unknown:#9198a1}}",
            "*{box-sizing:border-box}",
            "body{margin:0;padding:1rem;background:var(--bg);color:var(--fg);",
            "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
            "main,header,footer{max-width:72rem;margin:0 auto}",
            "h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}",
            "a{color:inherit}.muted,.empty{color:var(--muted)}.empty{font-style:italic}",
            ".s{display:inline-block;font-weight:700;padding:0 .45em;border:2px solid currentColor;border-radius:.3em;",
            "letter-spacing:.02em;white-space:nowrap}",
            ".up{color:var(--up)}.degraded{color:var(--degraded)}.down{color:var(--down)}.locked{color:var(--locked)}",
            ".unknown{color:var(--unknown)}",
            ".probes{list-style:none;padding:0;margin:.75rem 0;display:flex;flex-wrap:wrap;gap:.5rem}",
            ".probes li{border:1px solid var(--line);border-radius:.4em;padding:.3em .6em}",
            ".wide{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35em .6em;",
            "border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}",
            "th{background:var(--head);font-weight:600;white-space:nowrap}",
            "ul.conditions{padding-left:1.2rem}code{font-size:.9em}",
            "@media (max-width:40rem){body{padding:.6rem}thead{display:none}table,tbody,tr,td{display:block;width:100%}",
            "tr{border:1px solid var(--line);border-radius:.4em;margin-bottom:.6rem}",
            "td{border:0;padding:.2em .6em}td::before{content:attr(data-label) ': ';color:var(--muted)}}");
    /**
     * The {@code Content-Security-Policy} to send with the page: nothing may load or run except its own style
     * sheet (allowed by hash), no frame may embed it, no form or base URI is allowed.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + hash(CSS)
            + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final long refreshSeconds;

    /**
     * What a page shows around its report: each probe's last outcome and relative links to the other pages.
     *
     * @param outcomes      probe → the outcome of its last evaluation; a probe missing has not been asked yet
     * @param links         probe → a relative link to its page; a probe missing gets no link
     * @param allChecksLink a relative link to the page of every check, or {@code null} for none
     * @param status        the HTTP status the page is answered with (the handler's status policy decides it), or 0
     *                      when the page is not sent over HTTP; the page shows it
     */
    public record Context(
            Map<Probe, Outcome> outcomes,
            Map<Probe, String> links,
            @Nullable String allChecksLink,
            int status) {
        /** Copies. */
        public Context {
            outcomes = copy(outcomes);
            links = copy(links);
            if (status != 0 && (status < 100 || status > 599)) {
                throw new IllegalArgumentException("status must be 0 or 100..599: " + status);
            }
        }

        /**
         * A context without a status.
         *
         * @param outcomes      probe → the outcome of its last evaluation
         * @param links         probe → a relative link to its page
         * @param allChecksLink a relative link to the page of every check, or {@code null} for none
         */
        public Context(Map<Probe, Outcome> outcomes, Map<Probe, String> links, @Nullable String allChecksLink) {
            this(outcomes, links, allChecksLink, 0);
        }

        /** @return a context with no other probe known, no links and no status */
        public static Context none() {
            return new Context(Map.of(), Map.of(), null, 0);
        }

        private static <V> Map<Probe, V> copy(Map<Probe, V> m) {
            Map<Probe, V> c = new EnumMap<>(Probe.class);
            c.putAll(Objects.requireNonNull(m));
            return java.util.Collections.unmodifiableMap(c);
        }
    }

    /**
     * The history shown in the "since" column and the "recent transitions" section.
     *
     * @param scopeSince  when the evaluated scope entered its outcome, or {@code null}
     * @param since       check name → when it entered its status; a name missing is unknown
     * @param transitions newest first
     */
    record History(@Nullable Instant scopeSince, Map<String, Instant> since, List<Transition> transitions) {
        static final History NONE = new History(null, Map.of(), List.of());
    }

    /**
     * One transition of a check or a probe.
     *
     * @param subject a check or probe name
     * @param from    the state it left (a {@link Status} or {@link Outcome} name)
     * @param to      the state it entered
     * @param cause   why, e.g. a {@code Cause} name, or {@code ""}
     * @param at      when
     */
    record Transition(String subject, String from, String to, String cause, Instant at) {}

    /**
     * @param refresh how often the page reloads itself; rounded up to whole seconds; {@link Duration#ZERO} for never
     * @throws IllegalArgumentException if negative
     */
    public StatusPageWriter(Duration refresh) {
        Objects.requireNonNull(refresh, "refresh");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must not be negative");
        }
        long s = refresh.getSeconds() + (refresh.getNano() > 0 ? 1 : 0);
        this.refreshSeconds = s;
    }

    /** @return how often the page reloads itself, in whole seconds; zero for never */
    public Duration refresh() {
        return Duration.ofSeconds(refreshSeconds);
    }

    @Override
    public String contentType() {
        return MEDIA_TYPE + ";charset=UTF-8";
    }

    /** Writes the page without knowledge of the other probes and without navigation links. */
    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        write(report, Context.none(), details, out);
    }

    /**
     * @param report  the report
     * @param context the other probes' outcomes and the links to their pages
     * @param details whether the caller may see details (messages, data, lock descriptions, licensee)
     * @param out     where to write UTF-8 bytes; not closed
     * @throws IOException from the stream
     */
    public void write(HealthReport report, Context context, boolean details, OutputStream out) throws IOException {
        out.write(render(report, Objects.requireNonNull(context, "context"), historyOf(report), details)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The history of a report, as the engine keeps it: since when the scope's outcome holds, since when each check
     * is in its state, and the scope's recent transitions (newest first).
     */
    static History historyOf(HealthReport report) {
        Map<String, Instant> since = new HashMap<>();
        for (CheckEntry c : report.checks()) {
            if (c.since() != null) {
                since.put(c.name(), c.since());
            }
        }
        List<Transition> transitions = new ArrayList<>(report.transitions().size());
        for (io.vigil.health.Transition t : report.transitions()) {
            transitions.add(new Transition(
                    t.subject(),
                    t.from() == null ? "" : t.from().name(),
                    t.to().name(),
                    t.cause() == null ? "" : t.cause().name(),
                    t.at()));
        }
        return new History(report.since(), since, transitions);
    }

    String render(HealthReport r, Context context, History history, boolean details) {
        Instant now = r.timestamp();
        StringBuilder h = new StringBuilder(4096 + 512 * r.checks().size());
        String title = title(r.scope());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .append("<meta name=\"color-scheme\" content=\"light dark\"/>")
                .append("<meta name=\"robots\" content=\"noindex\"/>");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"")
                    .append(refreshSeconds)
                    .append("\"/>");
        }
        h.append("<title>")
                .append(esc(title))
                .append(' ')
                .append(r.outcome().name())
                .append(" \u00b7 health</title>")
                .append("<style>")
                .append(CSS)
                .append("</style></head>\n<body>\n<header>");
        h.append("<h1 id=\"outcome\">")
                .append(esc(title))
                .append(": ")
                .append(badge(r.outcome()))
                .append("</h1>");
        h.append("<p class=\"muted\">");
        if (context.status() > 0) {
            h.append("HTTP ").append(context.status()).append(" \u00b7 ");
        }
        h.append("evaluated ").append(time(now));
        if (history.scopeSince() != null) {
            h.append(" \u00b7 since ").append(time(history.scopeSince()));
        }
        h.append("</p>\n<ul class=\"probes\" id=\"probes\">");
        if (r.scope().kind() != Scope.Kind.ALL) {
            h.append("<li>").append(link("all checks", context.allChecksLink())).append("</li>");
        }
        for (Probe p : Probe.values()) {
            Outcome o = r.scope().kind() == Scope.Kind.PROBE && r.scope().probe() == p
                    ? r.outcome()
                    : context.outcomes().get(p);
            h.append("<li data-probe=\"")
                    .append(p.label())
                    .append("\">")
                    .append(link(p.label(), context.links().get(p)))
                    .append(' ')
                    .append(o == null ? "<span class=\"s unknown\">NOT ASKED YET</span>" : badge(o))
                    .append("</li>");
        }
        h.append("</ul></header>\n<main>\n");
        conditions(h, r, details);
        checks(h, r, history, details, now);
        locks(h, r, details, now);
        license(h, r, details, now);
        transitions(h, history);
        h.append("</main>\n<footer><p class=\"muted\">");
        h.append(refreshSeconds > 0 ? "Reloads every " + refreshSeconds + " s" : "Does not reload itself");
        h.append(" \u00b7 <a href=\"?verbose\">plain text</a>")
                .append(details ? "" : " \u00b7 details withheld")
                .append("</p></footer>\n</body></html>\n");
        return h.toString();
    }

    private static void conditions(StringBuilder h, HealthReport r, boolean details) {
        List<Issue> shown = r.issues().stream()
                .filter(i -> i.severity() != IssueSeverity.INFORMATION)
                .toList();
        if (shown.isEmpty()) {
            return;
        }
        h.append("<section id=\"conditions\"><h2>Conditions</h2><ul class=\"conditions\">");
        for (Issue i : shown) {
            h.append("<li><strong>")
                    .append(i.severity().name().toLowerCase(Locale.ROOT))
                    .append("</strong>: ")
                    .append(esc(Clip.text(i.diagnosticsFor(details))))
                    .append("</li>");
        }
        h.append("</ul></section>\n");
    }

    private static void checks(StringBuilder h, HealthReport r, History history, boolean details, Instant now) {
        h.append("<section id=\"checks\"><h2>Checks</h2>");
        if (r.checks().isEmpty()) {
            h.append("<p class=\"empty\">no checks in this scope</p></section>\n");
            return;
        }
        h.append(
                        "<div class=\"wide\"><table><thead><tr><th>check</th><th>status</th><th>weight</th><th>duration</th><th>since</th>")
                .append("<th>last checked</th><th>cached</th>")
                .append(details ? "<th>message</th>" : "")
                .append("</tr></thead><tbody>");
        for (CheckEntry c : r.checks()) {
            h.append("<tr><td data-label=\"check\"><strong>")
                    .append(esc(Clip.value(c.name())))
                    .append("</strong></td>")
                    .append("<td data-label=\"status\">")
                    .append(badge(c.status()))
                    .append("</td>")
                    .append("<td data-label=\"weight\">")
                    .append(c.criticality() == Criticality.REQUIRED ? "critical" : "optional")
                    .append("</td>")
                    .append("<td data-label=\"duration\">")
                    .append(millis(c.duration()))
                    .append("</td>")
                    .append("<td data-label=\"since\">")
                    .append(timeAgo(history.since().get(c.name()), now))
                    .append("</td><td data-label=\"last checked\">")
                    .append(timeAgo(c.checkedAt(), now))
                    .append("</td><td data-label=\"cached\">")
                    .append(c.cached() ? "yes" : "no")
                    .append("</td>");
            if (details) {
                h.append("<td data-label=\"message\">").append(esc(Clip.text(c.message())));
                int n = 0;
                for (Map.Entry<String, Object> e : c.data().entrySet()) {
                    if (n++ == Clip.ENTRIES) {
                        break;
                    }
                    h.append(n == 1 && c.message().isEmpty() ? "" : "<br/>")
                            .append("<code>")
                            .append(esc(Clip.value(e.getKey())))
                            .append('=')
                            .append(esc(Clip.value(String.valueOf(e.getValue()))))
                            .append("</code>");
                }
                h.append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void locks(StringBuilder h, HealthReport r, boolean details, Instant now) {
        h.append("<section id=\"locks\"><h2>Locks</h2>");
        if (r.locks().isEmpty()) {
            h.append("<p class=\"empty\">no locks held</p></section>\n");
            return;
        }
        h.append("<div class=\"wide\"><table><thead><tr><th>lock</th><th>held for</th><th>limit</th>")
                .append(details ? "<th>description</th>" : "")
                .append("</tr></thead><tbody>");
        for (LockInfo l : r.locks()) {
            h.append("<tr><td data-label=\"lock\"><span class=\"s locked\">LOCKED</span> <strong>")
                    .append(esc(Clip.value(l.name())))
                    .append("</strong></td><td data-label=\"held for\">")
                    .append(span(Duration.between(l.since(), now)))
                    .append(" (since ")
                    .append(time(l.since()))
                    .append(")</td><td data-label=\"limit\">");
            Duration max = l.maxDuration();
            Instant expires = l.expiresAt();
            if (max == null || expires == null) { // both or neither
                h.append("none");
            } else {
                h.append(span(max))
                        .append(" (released by ")
                        .append(time(expires))
                        .append(')');
            }
            h.append("</td>");
            if (details) {
                h.append("<td data-label=\"description\">")
                        .append(esc(Clip.text(l.description())))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        if (r.locksNotListed() > 0) {
            h.append("<tr><td colspan=\"")
                    .append(details ? 4 : 3)
                    .append("\" id=\"locks-not-listed\">")
                    .append(esc(Json.notListed(r.locksNotListed())))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void license(StringBuilder h, HealthReport r, boolean details, Instant now) {
        h.append("<section id=\"license\"><h2>License</h2>");
        LicenseState lic = r.license();
        if (lic == null) {
            h.append("<p class=\"empty\">no license check configured</p></section>\n");
            return;
        }
        String cls = switch (lic.validity()) {
            case VALID -> "up";
            case EXPIRING -> "degraded";
            case EXPIRED, INVALID -> "down";
        };
        h.append("<p><span class=\"s ")
                .append(cls)
                .append("\">")
                .append(lic.validity().name())
                .append("</span>");
        if (lic.expires() != null) {
            long days = Duration.between(now, lic.expires()).toDays();
            h.append(" \u00b7 expires ")
                    .append(time(lic.expires()))
                    .append(" \u00b7 ")
                    .append(
                            days >= 0
                                    ? days + (days == 1 ? " day left" : " days left")
                                    : "expired " + -days + (days == -1 ? " day ago" : " days ago"));
        }
        if (details && lic.licensee() != null) {
            h.append(" \u00b7 licensed to ").append(esc(Clip.value(lic.licensee())));
        }
        if (details && !lic.message().isEmpty()) {
            h.append(" \u00b7 ").append(esc(Clip.text(lic.message())));
        }
        h.append("</p></section>\n");
    }

    private static void transitions(StringBuilder h, History history) {
        h.append("<section id=\"transitions\"><h2>Recent transitions</h2>");
        if (history.transitions().isEmpty()) {
            h.append("<p class=\"empty\">no transitions recorded</p></section>\n");
            return;
        }
        h.append(
                        "<div class=\"wide\"><table><thead><tr><th>when</th><th>what</th><th>from</th><th>to</th><th>cause</th></tr></thead>")
                .append("<tbody>");
        for (Transition t : history.transitions()) {
            h.append("<tr><td data-label=\"when\">")
                    .append(time(t.at()))
                    .append("</td><td data-label=\"what\">")
                    .append(esc(Clip.value(t.subject())))
                    .append("</td><td data-label=\"from\">")
                    .append(state(t.from()))
                    .append("</td><td data-label=\"to\">")
                    .append(state(t.to()))
                    .append("</td><td data-label=\"cause\">")
                    .append(esc(Clip.value(t.cause())))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static String title(Scope scope) {
        Probe probe = scope.probe();
        if (probe == null) {
            return scope.group() != null ? "Group " + Clip.value(scope.group()) : "All checks";
        }
        return switch (probe) {
            case LIVENESS -> "Liveness";
            case READINESS -> "Readiness";
            case STARTUP -> "Startup";
        };
    }

    private static String badge(Outcome o) {
        String cls = switch (o) {
            case UP -> "up";
            case DEGRADED -> "degraded";
            case LOCKED -> "locked";
            case DOWN, LICENSE_INVALID, ERROR -> "down";
        };
        return "<span class=\"s " + cls + "\">" + o.name() + "</span>";
    }

    private static String badge(Status s) {
        return "<span class=\"s " + s.name().toLowerCase(Locale.ROOT) + "\">" + s.name() + "</span>";
    }

    /** A transition's state: a badge when it names a status or an outcome, otherwise escaped text. */
    private static String state(String name) {
        for (Outcome o : Outcome.values()) {
            if (o.name().equals(name)) {
                return badge(o);
            }
        }
        return esc(Clip.value(name));
    }

    private static String link(String text, @Nullable String href) {
        return href == null ? esc(text) : "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    private static String time(Instant t) {
        Instant s = t.truncatedTo(ChronoUnit.SECONDS);
        return "<time datetime=\"" + s + "\">" + s + "</time>";
    }

    private static String timeAgo(@Nullable Instant t, Instant now) {
        if (t == null) {
            return "<span class=\"muted\">\u2014</span>";
        }
        Duration d = Duration.between(t, now);
        return time(t) + (d.isNegative() ? "" : " <span class=\"muted\">(" + span(d) + " ago)</span>");
    }

    private static String millis(Duration d) {
        long micros = d.toNanos() / 1000;
        return micros < 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000.0) : micros / 1000 + " ms";
    }

    /** A coarse human span: {@code 42 s}, {@code 3 min 05 s}, {@code 2 h 07 min}, {@code 3 d 4 h}. */
    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    /**
     * Escapes text for element content and quoted attribute values; control characters and the non-characters
     * U+FFFE/U+FFFF (invalid in HTML and XML) become spaces. Callers clip first.
     */
    static String esc(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF' ? " " : null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String hash(String css) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
