package io.vigil.health.internal;

import io.vigil.health.Cause;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckStatus;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseStatus;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns check entries and conditions into an outcome and OperationOutcome issues (DESIGN.md tables). */
final class Verdicts {
    private static final List<Issue> ALL_UP = List.of(new Issue(IssueSeverity.INFORMATION, "informational",
            "All checks are UP", null, List.of()));

    private Verdicts() {
    }

    /** Conditions of the application at evaluation time. */
    record Conditions(List<LockInfo> locks, Duration locksExpireIn, LicenseState license,
                      boolean licenseFailsLiveness, boolean started, boolean draining, boolean closed) {
    }

    static HealthReport build(Scope scope, List<CheckStatus> checks, Conditions c, Instant now) {
        Semantics sem = scope.semantics();
        Outcome outcome = Outcome.UP;
        List<Issue> issues = null;
        Duration retryAfter = null;

        LicenseState lic = c.license();
        if (lic != null && lic.status() != LicenseStatus.VALID) {
            issues = new ArrayList<>(4);
            boolean blocks = lic.status().blocks() && (sem != Semantics.LIVENESS || c.licenseFailsLiveness());
            String text = switch (lic.status()) {
                case EXPIRED -> "The license has expired";
                case INVALID -> "The license is invalid";
                default -> "The license expires soon";
            };
            if (lic.expires() != null) {
                text += " (expiry " + lic.expires() + ")";
            }
            issues.add(new Issue(blocks ? IssueSeverity.FATAL : IssueSeverity.WARNING, "business-rule", text,
                    lic.message(), List.of("license")));
            outcome = worst(outcome, blocks ? Outcome.LICENSE_INVALID : Outcome.DEGRADED);
        }

        if (sem.locks && !c.locks().isEmpty()) {
            issues = issues == null ? new ArrayList<>(4) : issues;
            for (LockInfo l : c.locks()) {
                issues.add(new Issue(IssueSeverity.ERROR, "lock-error",
                        "Locked by task '" + l.name() + "' since " + l.since(), l.description(), List.of(l.name())));
            }
            outcome = worst(outcome, Outcome.LOCKED);
            if (c.locksExpireIn() != null) {
                retryAfter = positive(c.locksExpireIn());
            }
        }

        Duration breakerWait = null;
        for (int i = 0, n = checks.size(); i < n; i++) {
            CheckStatus s = checks.get(i);
            if (s.status() == Status.UP) {
                continue;
            }
            issues = issues == null ? new ArrayList<>(4) : issues;
            boolean required = s.criticality() == Criticality.REQUIRED;
            if (s.status() == Status.DOWN && required) {
                issues.add(new Issue(IssueSeverity.ERROR, codeFor(s), describe(s, "Required check"), s.message(),
                        List.of(s.name())));
                outcome = worst(outcome, Outcome.DOWN);
                if (s.retryAfter() != null && (breakerWait == null || s.retryAfter().compareTo(breakerWait) < 0)) {
                    breakerWait = s.retryAfter();
                }
            } else {
                String what = s.status() == Status.DOWN ? describe(s, "Optional check") : "Check '" + s.name()
                        + "' is DEGRADED";
                issues.add(new Issue(IssueSeverity.WARNING, codeFor(s), what, s.message(), List.of(s.name())));
                outcome = worst(outcome, Outcome.DEGRADED);
            }
        }

        if (sem.startup && !c.started()) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(new Issue(IssueSeverity.ERROR, "transient", "The application has not finished starting",
                    null, List.of()));
            outcome = worst(outcome, Outcome.DOWN);
        }
        if (c.closed() && (sem.draining || sem.startup)) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(new Issue(IssueSeverity.ERROR, "transient",
                    "The application is shutting down (the health registry is closed)", null, List.of()));
            outcome = worst(outcome, Outcome.DOWN);
        } else if (sem.draining && c.draining()) {
            issues = issues == null ? new ArrayList<>(2) : issues;
            issues.add(new Issue(IssueSeverity.ERROR, "transient", "The application is shutting down (draining)",
                    null, List.of()));
            outcome = worst(outcome, Outcome.DOWN);
        }
        if (outcome == Outcome.DOWN && breakerWait != null) {
            retryAfter = breakerWait;
        } else if (outcome != Outcome.LOCKED) {
            retryAfter = null;
        }
        return new HealthReport(scope.label(), outcome, checks, c.locks(), lic, issues == null ? ALL_UP : issues,
                retryAfter, now);
    }

    private static String describe(CheckStatus s, String prefix) {
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

    /**
     * @param s a non-UP entry
     * @return its FHIR IssueType code
     */
    static String codeFor(CheckStatus s) {
        Cause cause = s.cause();
        if (cause == Cause.TIMEOUT || cause == Cause.STALE) {
            return "timeout";
        }
        if (cause == Cause.INTERRUPTED) {
            return "incomplete";
        }
        if (cause == Cause.EXCEPTION || cause == Cause.REJECTED) {
            return "exception";
        }
        return s.kind() == CheckKind.DATASTORE ? "no-store" : "transient";
    }

    private static Outcome worst(Outcome a, Outcome b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
    }
}
