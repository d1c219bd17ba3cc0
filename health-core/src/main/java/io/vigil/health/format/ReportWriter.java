package io.vigil.health.format;

import io.vigil.health.HealthReport;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link HealthReport} in one representation. Implementations are stateless and thread-safe. */
public interface ReportWriter {

    /** @return the {@code Content-Type} of the output, with charset where relevant */
    String contentType();

    /**
     * @param report  the report
     * @param details whether the caller may see details (data, messages, lock descriptions, licensee)
     * @param out     where to write UTF-8 bytes; not closed
     * @throws IOException from the stream
     */
    void write(HealthReport report, boolean details, OutputStream out) throws IOException;
}
