package io.vigil.health.endpoint;

import io.vigil.health.CheckEntry;
import io.vigil.health.HealthReport;
import io.vigil.health.Scope;
import io.vigil.health.format.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last body rendered per (scope, writer, details). While checks are served from cache, consecutive reports of a
 * scope are equal in everything a writer reads, so the bytes of the previous one are reused: a cached probe then
 * costs no serialisation and allocates no body.
 *
 * <p>Reuse rests on value equality of what writers read — outcome, license, check entries, locks, issues,
 * {@code Retry-After}, the outcome's {@code since} and the transitions (one memoised list while nothing changes) — never on identity, and never on the report's timestamp (writers do not show it). Report
 * values are immutable with value equality, so equal values render to equal bytes; an entry holding a value without value
 * equality (an exception) merely re-renders. Bounded by probes and registered groups times writers times two.
 * Thread-safe: entries are immutable and replaced whole.
 */
final class RenderCache {
    private record Key(Scope scope, ReportWriter writer, boolean details) {}

    /** A report and its rendered body (never modified after construction). */
    private static final class Rendered {
        final HealthReport report;
        final byte[] body;

        Rendered(HealthReport report, byte[] body) {
            this.report = report;
            this.body = body;
        }
    }

    private final Map<Key, Rendered> last = new ConcurrentHashMap<>();

    /**
     * @param report  the report
     * @param writer  a stateless writer
     * @param details whether details are shown
     * @return the body; callers must not modify it
     */
    byte[] render(HealthReport report, ReportWriter writer, boolean details) {
        Key key = new Key(report.scope(), writer, details);
        Rendered previous = last.get(key);
        if (previous != null && sameContent(previous.report, report)) {
            return previous.body;
        }
        Buffer out = BUFFER.get();
        out.reset();
        if (previous != null) {
            out.reserve(previous.body.length); // a huge body: one array of its size, not a chain of doublings
        }
        try {
            writer.write(report, details, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.shrinkIfHuge();
        }
        byte[] body = out.toByteArray();
        last.put(key, new Rendered(report, body));
        return body;
    }

    /**
     * A render buffer per thread, reused across renders so that a body costs one exact-size array; one that grew
     * past {@link Buffer#KEEP} bytes (a huge report) is not kept, and the next render of that key makes one buffer
     * of the previous body's size instead of doubling its way up (cost stays linear in the number of checks).
     */
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    private static final class Buffer extends ByteArrayOutputStream {
        static final int KEEP = 64 * 1024;

        Buffer() {
            super(2048);
        }

        /** Makes room for a body about the size of the previous one of its key (an eighth more), at once. */
        void reserve(int expected) {
            if (expected > buf.length) {
                buf = new byte[expected + (expected >> 3)];
            }
        }

        void shrinkIfHuge() {
            if (buf.length > KEEP) {
                BUFFER.remove();
            }
        }
    }

    /** Whether two reports of one scope render alike: equal in every value a writer reads. */
    static boolean sameContent(HealthReport a, HealthReport b) {
        if (a.outcome() != b.outcome()
                || !Objects.equals(a.license(), b.license())
                || !Objects.equals(a.retryAfter(), b.retryAfter())) {
            return false;
        }
        List<CheckEntry> x = a.checks();
        List<CheckEntry> y = b.checks();
        if (x == y) {
            return sameRest(a, b); // the engine's memoised list while every check is served from cache: O(1)
        }
        int n = x.size();
        if (n != y.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            CheckEntry p = x.get(i);
            CheckEntry q = y.get(i);
            @SuppressWarnings(
                    "ReferenceEquality") // identity first, deliberately: the same cached instance is the common case
            boolean same = p == q || p.equals(q);
            if (!same) { // the same instance while cached; equal values otherwise
                return false;
            }
        }
        return sameRest(a, b);
    }

    private static boolean sameRest(HealthReport a, HealthReport b) {
        return a.locks().equals(b.locks())
                && a.issues().equals(b.issues())
                && Objects.equals(a.since(), b.since())
                && (a.transitions() == b.transitions() || a.transitions().equals(b.transitions()));
    }
}
