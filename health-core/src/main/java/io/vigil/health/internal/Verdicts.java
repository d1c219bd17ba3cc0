package io.vigil.health.internal;

import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.LockInfo;
import io.vigil.health.OutOfService;
import io.vigil.health.Outcome;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns check entries and conditions into an outcome and typed OperationOutcome issues: the outcome table of
 * docs/reports.md ("Outcomes and issues"), first match wins. Formats derive their codes from the issues' subjects.
 */
final class Verdicts {
    private static final List<Issue> ALL_UP =
            List.of(Issue.of(IssueSeverity.INFORMATION, new IssueSubject.Overall(), "All checks are UP"));

    private Verdicts() {}

    /** Conditions of the application at evaluation time. */
    record Conditions(
            List<LockInfo> locks,
            @Nullable Duration locksExpireIn,
            @Nullable LicenseState license,
            boolean licenseFailsLiveness,
            boolean started,
            boolean draining,
            boolean closed,
            @Nullable OutOfService outOfService) {}

    static HealthReport build(Scope scope, List<CheckEntry> checks, Conditions c, Instant now) {
        return build(scope, checks, c, now, List.of(), o -> null);
    }

    /**
     * @param transitions the scope's recent transitions, newest first
     * @param since       since when the scope has an outcome (asked once, with the outcome found)
     */
    static HealthReport build(
            Scope scope,
            List<CheckEntry> checks,
            Conditions c,
            Instant now,
            List<Transition> transitions,
            Function<Outcome, Instant> since) {
        Semantics sem = Semantics.of(scope);
        Outcome outcome = Outcome.UP;
        List<Issue> issues = null;
        Duration retryAfter = null;

        LicenseState lic = c.license();
        if (lic != null && lic.validity() != LicenseValidity.VALID) {
            issues = new ArrayList<>(4);
            boolean blocks = lic.validity().blocks() && (sem != Semantics.LIVENESS || c.licenseFailsLiveness());
            String text = switch (lic.validity()) {
                case EXPIRED -> "The license has expired";
                case INVALID -> "The license is invalid";
                default -> "The license expires soon";
            };
            if (lic.expires() != null) {
                text += " (expiry " + lic.expires() + ")";
            }
            issues.add(Issue.of(
                            blocks ? IssueSeverity.FATAL : IssueSeverity.WARNING,
                            new IssueSubject.License(lic.validity()),
                            text)
                    .withDetail(lic.message()));
            outcome = worst(outcome, blocks ? Outcome.LICENSE_INVALID : Outcome.DEGRADED);
        }

        List<LockInfo> held = sem.locks ? c.locks() : List.of(); // liveness ignores locks: it lists none either
        List<LockInfo> listed =
                held.size() > HealthReport.MAX_LISTED_LOCKS ? held.subList(0, HealthReport.MAX_LISTED_LOCKS) : held;
        if (!held.isEmpty()) {
            issues = issues == null ? new ArrayList<>(4) : issues;
            for (LockInfo l : listed) {
                issues.add(Issue.of(
                                IssueSeverity.ERROR,
                                new IssueSubject.Lock(l.name()),
                                "Locked by task '" + l.name() + "' since " + l.since())
                        .withDetail(l.description()));
            }
            outcome = worst(outcome, Outcome.LOCKED);
            if (c.locksExpireIn() != null) {
                retryAfter = positive(c.locksExpireIn());
            }
        }

        Duration breakerWait = null;
        for (int i = 0, n = checks.size(); i < n; i++) {
            CheckEntry s = checks.get(i);
            if (s.status() == Status.UP) {
                continue;
            }
            issues = issues == null ? new ArrayList<>(4) : issues;
            boolean required = s.criticality() == Criticality.REQUIRED;
            if (s.status() == Status.DOWN && required) {
                issues.add(Issue.of(IssueSeverity.ERROR, subject(s), describe(s, "Required check") + since(s))
                        .withDetail(s.message()));
                outcome = worst(outcome, Outcome.DOWN);
                if (s.retryAfter() != null
                        && (breakerWait == null || s.retryAfter().compareTo(breakerWait) < 0)) {
                    breakerWait = s.retryAfter();
                }
            } else {
                String what = (s.status() == Status.DOWN
                                ? describe(s, "Optional check")
                                : "Check '" + s.name() + "' is DEGRADED")
                        + since(s);
                issues.add(Issue.of(IssueSeverity.WARNING, subject(s), what).withDetail(s.message()));
                outcome = worst(outcome, Outcome.DEGRADED);
            }
        }

        if (sem.startup && !c.started()) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(lifecycle(IssueSubject.Phase.NOT_STARTED, "The application has not finished starting"));
            outcome = worst(outcome, Outcome.DOWN);
        }
        if (c.closed() && (sem.draining || sem.startup)) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(lifecycle(
                    IssueSubject.Phase.CLOSED, "The application is shutting down (the health registry is closed)"));
            outcome = worst(outcome, Outcome.DOWN);
        } else if (sem.draining && c.draining()) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(lifecycle(IssueSubject.Phase.DRAINING, "The application is shutting down (draining)"));
            outcome = worst(outcome, Outcome.DOWN);
        }
        // the operator's switch applies where draining does (readiness, the base path, groups), closed or not
        if (sem.draining && c.outOfService() != null) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(lifecycle(
                    IssueSubject.Phase.OUT_OF_SERVICE, c.outOfService().describe()));
            outcome = worst(outcome, Outcome.DOWN);
        }
        if (outcome == Outcome.DOWN && breakerWait != null) {
            retryAfter = breakerWait;
        } else if (outcome != Outcome.LOCKED) {
            retryAfter = null;
        }
        return HealthReport.builder(scope, outcome)
                .checks(checks)
                .locks(listed)
                .lockCount(held.size())
                .license(lic)
                .issues(issues == null ? ALL_UP : issues)
                .retryAfter(retryAfter)
                .timestamp(now)
                .transitions(transitions)
                .since(since.apply(outcome))
                .build();
    }

    private static IssueSubject subject(CheckEntry s) {
        return new IssueSubject.Check(s.name(), s.kind(), s.cause());
    }

    private static Issue lifecycle(IssueSubject.Phase phase, String diagnostics) {
        return Issue.of(IssueSeverity.ERROR, new IssueSubject.Lifecycle(phase), diagnostics);
    }

    private static String describe(CheckEntry s, String prefix) {
        return switch (s.cause()) {
            case TIMEOUT -> prefix + " '" + s.name() + "' timed out";
            case EXCEPTION -> prefix + " '" + s.name() + "' failed with an error";
            case NEVER_RUN -> prefix + " '" + s.name() + "' has not produced a result yet";
            case CIRCUIT_OPEN -> prefix + " '" + s.name() + "' is DOWN (circuit open)";
            case REJECTED -> prefix + " '" + s.name() + "' could not run (no thread available)";
            case STALE -> prefix + " '" + s.name() + "' is stale (its background refresh stopped completing)";
            case INTERRUPTED -> prefix + " '" + s.name() + "' was not awaited (the probe was interrupted)";
            default -> prefix + " '" + s.name() + "' is DOWN";
        };
    }

    /** {@code " (since 2026-01-15T10:42:07Z, 3 failures in a row)"}, the parts that are known. */
    private static String since(CheckEntry s) {
        if (s.since() == null && s.consecutiveFailures() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        if (s.since() != null) {
            sb.append("since ").append(s.since().truncatedTo(ChronoUnit.SECONDS));
        }
        if (s.consecutiveFailures() > 1) {
            sb.append(s.since() != null ? ", " : "")
                    .append(s.consecutiveFailures())
                    .append(" failures in a row");
        }
        return sb.append(')').toString();
    }

    private static Outcome worst(Outcome a, Outcome b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
    }
}
