package io.vigil.health.microprofile;

import io.vigil.health.CheckEntry;
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
        List<CheckEntry> shown = new ArrayList<>(report.checks().size());
        for (CheckEntry c : report.checks()) {
            String name = MicroProfileChecks.displayName(c);
            shown.add(
                    name.equals(c.name()) && !c.data().containsKey(MicroProfileChecks.RESPONSE_NAME_KEY)
                            ? c
                            : c.toBuilder()
                                    .name(name)
                                    .data(MicroProfileChecks.visibleData(c))
                                    .build());
        }
        strict.write(report.withChecks(shown), details, out);
    }
}
