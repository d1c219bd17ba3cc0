package io.vigil.health.format;

import io.vigil.health.CheckStatus;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.LicenseState;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code text/plain}, kube-apiserver style: one line per check ({@code [+]db ok},
 * {@code [-]redis failed: reason withheld}), one per applied lock and for the license, then a summary line
 * ({@code readiness check passed} or {@code readiness check failed: LOCKED}; {@code health check passed} for every
 * check, {@code group core check passed} for a group). Control characters in names and
 * messages are replaced by spaces so that every entry stays on its line.
 */
public final class PlainTextWriter implements ReportWriter {
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
        for (CheckStatus c : report.checks()) {
            String name = line(Clip.value(c.name()));
            String why = details && !c.message().isEmpty() ? line(Clip.text(c.message())) : WITHHELD;
            if (c.status() == Status.UP) {
                sb.append("[+]").append(name).append(" ok\n");
            } else if (c.status() == Status.DEGRADED) {
                sb.append("[+]").append(name).append(" degraded: ").append(why).append('\n');
            } else {
                sb.append("[-]").append(name).append(c.criticality() == Criticality.OPTIONAL
                        ? " failed (optional): " : " failed: ").append(why).append('\n');
            }
        }
        for (Issue i : report.issues()) {
            if ("lock-error".equals(i.code()) && !i.expression().isEmpty()) {
                sb.append("[-]lock:").append(line(Clip.value(i.expression().get(0)))).append(" locked: ")
                        .append(line(Clip.text(i.diagnosticsFor(details)))).append('\n');
            } else if (i.expression().isEmpty() && i.code().equals("transient")) {
                sb.append("[-]lifecycle failed: ").append(line(i.diagnostics())).append('\n');
            }
        }
        LicenseState lic = report.license();
        if (lic != null) {
            sb.append(lic.status().blocks() ? "[-]license " : "[+]license ")
                    .append(lic.status().name().toLowerCase(java.util.Locale.ROOT));
            if (lic.expires() != null) {
                sb.append(" (expires ").append(lic.expires()).append(')');
            }
            sb.append('\n');
        }
        sb.append(subject(report.scope())).append(report.outcome().isHealthy() ? " check passed" : " check failed: "
                + report.outcome().name());
        if (report.outcome() == io.vigil.health.Outcome.DEGRADED) {
            sb.append(" (DEGRADED)");
        }
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The summary's subject: {@code health} for every check, {@code group core}, or the probe. */
    private static String subject(String scope) {
        if (scope.equals("all")) {
            return "health";
        }
        return scope.startsWith("group:") ? "group " + line(Clip.value(scope.substring("group:".length()))) : scope;
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
