package io.vigil.health.microprofile;

import io.vigil.health.CheckStatus;
import io.vigil.health.HealthReport;
import io.vigil.health.format.MicroProfileJsonWriter;
import io.vigil.health.format.ReportWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict MicroProfile JSON with checks shown under the names their responses reported (see
 * {@link MicroProfileChecks}): renames the entries of a report, then lets core's strict writer write it.
 */
final class ResponseNameJsonWriter implements ReportWriter {
    private final ReportWriter strict = new MicroProfileJsonWriter(true);

    @Override
    public String contentType() {
        return strict.contentType();
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        List<CheckStatus> shown = new ArrayList<>(report.checks().size());
        for (CheckStatus c : report.checks()) {
            String name = MicroProfileChecks.displayName(c);
            shown.add(name.equals(c.name()) && !c.data().containsKey(MicroProfileChecks.RESPONSE_NAME_KEY) ? c
                    : new CheckStatus(name, c.status(), c.criticality(), c.kind(), c.cause(), c.message(),
                            MicroProfileChecks.visibleData(c), c.duration(), c.cached(), c.checkedAt(), c.breaker(),
                            c.retryAfter()));
        }
        strict.write(new HealthReport(report.scope(), report.outcome(), shown, report.locks(), report.license(),
                report.issues(), report.retryAfter(), report.timestamp()), details, out);
    }
}
