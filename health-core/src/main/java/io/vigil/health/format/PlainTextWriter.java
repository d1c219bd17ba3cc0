package io.vigil.health.format;

import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * {@code text/plain}, kube-apiserver style: one line per check ({@code [+]db ok},
 * {@code [-]redis failed: reason withheld (since 10:42:07Z, 3 failures)}: a line that is not {@code ok} says since
 * when the check has its status, as a time of day when that is the report's day (UTC), else as a date and time,
 * and how many DOWN results came in a row), one per applied lock and for the license, then a summary line
 * ({@code readiness check passed} or {@code readiness check failed: LOCKED}; {@code health check passed} for every
 * check, {@code group core check passed} for a group). Control characters in names and
 * messages are replaced by spaces so that every entry stays on its line.
 */
public final class PlainTextWriter implements ReportWriter {
    /** Creates the writer; it holds no state of its own. */
    public PlainTextWriter() {}

    /** The media type. */
    public static final String MEDIA_TYPE = "text/plain";

    private static final String WITHHELD = "reason withheld";

    @Override
    public String contentType() {
        return MEDIA_TYPE + ";charset=UTF-8";
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder(64 + 48 * report.checks().size());
        for (CheckEntry c : report.checks()) {
            String name = line(Clip.value(c.name()));
            String why = details && !c.message().isEmpty() ? line(Clip.text(c.message())) : WITHHELD;
            if (c.status() == Status.UP) {
                sb.append("[+]").append(name).append(" ok\n");
                continue;
            } else if (c.status() == Status.DEGRADED) {
                sb.append("[+]").append(name).append(" degraded: ").append(why);
            } else {
                sb.append("[-]")
                        .append(name)
                        .append(c.criticality() == Criticality.OPTIONAL ? " failed (optional): " : " failed: ")
                        .append(why);
            }
            memory(sb, c, report.timestamp());
            sb.append('\n');
        }
        for (Issue i : report.issues()) {
            if (i.subject() instanceof IssueSubject.Lock lock) {
                sb.append("[-]lock:")
                        .append(line(Clip.value(lock.name())))
                        .append(" locked: ")
                        .append(line(Clip.text(i.diagnosticsFor(details))))
                        .append('\n');
            } else if (i.subject() instanceof IssueSubject.Lifecycle) {
                sb.append("[-]lifecycle failed: ").append(line(i.diagnostics())).append('\n');
            }
        }
        if (report.locksNotListed() > 0) {
            sb.append("[-]locks: ")
                    .append(Json.notListed(report.locksNotListed()))
                    .append('\n');
        }
        LicenseState lic = report.license();
        if (lic != null) {
            sb.append(lic.validity().blocks() ? "[-]license " : "[+]license ")
                    .append(lic.validity().name().toLowerCase(java.util.Locale.ROOT));
            if (lic.expires() != null) {
                sb.append(" (expires ").append(lic.expires()).append(')');
            }
            sb.append('\n');
        }
        sb.append(subject(report.scope()))
                .append(
                        report.outcome().isPassing()
                                ? " check passed"
                                : " check failed: " + report.outcome().name());
        if (report.outcome() == Outcome.DEGRADED) {
            sb.append(" (DEGRADED)");
        }
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code (since 10:42:07Z, 3 failures)}, the parts that are known; nothing if neither is. */
    private static void memory(StringBuilder sb, CheckEntry c, Instant now) {
        int failures = c.consecutiveFailures();
        if (c.since() == null && failures == 0) {
            return;
        }
        sb.append(" (");
        if (c.since() != null) {
            Instant since = c.since().truncatedTo(ChronoUnit.SECONDS);
            boolean today = since.truncatedTo(ChronoUnit.DAYS).equals(now.truncatedTo(ChronoUnit.DAYS));
            sb.append("since ")
                    .append(today ? DateTimeFormatter.ISO_INSTANT.format(since).substring(11) : since);
            if (failures > 0) {
                sb.append(", ");
            }
        }
        if (failures > 0) {
            sb.append(failures).append(failures == 1 ? " failure" : " failures");
        }
        sb.append(')');
    }

    /** The summary's subject: {@code health} for every check, {@code group core}, or the probe. */
    private static String subject(Scope scope) {
        Probe probe = scope.probe();
        String group = scope.group();
        if (probe != null) {
            return probe.label();
        }
        return group != null ? "group " + line(Clip.value(group)) : "health";
    }

    private static String line(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length()).append(s, 0, i);
                }
                sb.append(' ');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
