package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outcome table, row by row, and its precedence (first match wins): LICENSE_INVALID, LOCKED, DOWN, DEGRADED,
 * UP. Each row is asserted on every scope it applies to and on the ones it must not touch.
 */
class VerdictsTest {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final Scope LIVE = Scope.of(Probe.LIVENESS);
    private static final Scope READY = Scope.of(Probe.READINESS);
    private static final Scope STARTUP = Scope.of(Probe.STARTUP);
    private static final List<Scope> EVERY_SCOPE = List.of(LIVE, READY, STARTUP, Scope.all(), Scope.group("core"));
    private static final LockInfo MIGRATION = LockInfo.of("schema-migration", NOW.minusSeconds(5))
            .withDescription("Migrating to v42")
            .withMaxDuration(Duration.ofMinutes(1));

    /** Conditions: started, no locks, no license, not draining, not closed. */
    private static Verdicts.Conditions fine() {
        return new Verdicts.Conditions(List.of(), null, null, true, true, false, false, null);
    }

    private static Verdicts.Conditions locked(Duration expiresIn) {
        return new Verdicts.Conditions(List.of(MIGRATION), expiresIn, null, true, true, false, false, null);
    }

    private static Verdicts.Conditions license(LicenseValidity v, boolean failsLiveness) {
        return new Verdicts.Conditions(
                List.of(),
                null,
                LicenseState.of(v)
                        .withLicensee("Acme")
                        .withExpires(NOW.plusSeconds(60))
                        .withMessage("why"),
                failsLiveness,
                true,
                false,
                false,
                null);
    }

    private static Verdicts.Conditions lifecycle(boolean started, boolean draining, boolean closed) {
        return new Verdicts.Conditions(List.of(), null, null, true, started, draining, closed, null);
    }

    private static CheckEntry up(String name) {
        return CheckEntry.builder(name).build();
    }

    private static CheckEntry down(String name, Criticality c) {
        return CheckEntry.builder(name)
                .status(Status.DOWN)
                .criticality(c)
                .kind(CheckKind.DATASTORE)
                .message("refused")
                .build();
    }

    private static HealthReport build(Scope scope, Verdicts.Conditions c, CheckEntry... checks) {
        return Verdicts.build(scope, List.of(checks), c, NOW);
    }

    private static List<IssueSubject> subjects(HealthReport r) {
        return r.issues().stream().map(Issue::subject).toList();
    }

    @Test
    void allUpIsUpWithOneInformationalIssueOnEveryScope() {
        for (Scope s : EVERY_SCOPE) {
            HealthReport r = build(s, fine(), up("db"), up("cache"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.UP);
            assertThat(r.outcome().isPassing()).isTrue();
            assertThat(r.issues()).singleElement().satisfies(i -> {
                assertThat(i.severity()).isEqualTo(IssueSeverity.INFORMATION);
                assertThat(i.subject()).isEqualTo(new IssueSubject.Overall());
            });
            assertThat(r.retryAfter()).isNull();
            assertThat(r.scope()).isEqualTo(s);
            assertThat(r.timestamp()).isEqualTo(NOW);
        }
    }

    @Test
    void aRequiredCheckDownIs503OnEveryScopeAndNamesTheCheckAndItsCause() {
        for (Scope s : EVERY_SCOPE) {
            HealthReport r = build(s, fine(), up("cache"), down("db", Criticality.REQUIRED));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DOWN);
            assertThat(r.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(r.issues()).singleElement().satisfies(i -> {
                assertThat(i.severity()).isEqualTo(IssueSeverity.ERROR);
                assertThat(i.subject()).isEqualTo(new IssueSubject.Check("db", CheckKind.DATASTORE, Cause.REPORTED));
                assertThat(i.diagnostics()).isEqualTo("Required check 'db' is DOWN");
                assertThat(i.detail()).isEqualTo("refused");
            });
        }
    }

    @Test
    void aDiagnosticSaysSinceWhenAndHowManyFailuresInARow() {
        CheckEntry db = down("db", Criticality.REQUIRED).toBuilder()
                .since(NOW.minusSeconds(42).plusMillis(250))
                .consecutiveFailures(3)
                .build();
        CheckEntry disk = CheckEntry.builder("disk")
                .status(Status.DEGRADED)
                .since(NOW.minusSeconds(60))
                .build();
        CheckEntry once = down("cache", Criticality.OPTIONAL).toBuilder()
                .consecutiveFailures(1)
                .build();
        HealthReport r = build(READY, fine(), db, disk, once);
        assertThat(r.issues())
                .extracting(Issue::diagnostics)
                .containsExactly(
                        "Required check 'db' is DOWN (since 2026-01-15T09:59:18Z, 3 failures in a row)",
                        "Check 'disk' is DEGRADED (since 2026-01-15T09:59:00Z)",
                        "Optional check 'cache' is DOWN");
    }

    @Test
    void anOptionalCheckDownDegradesWith200AndAWarning() {
        for (Scope s : EVERY_SCOPE) {
            HealthReport r = build(s, fine(), up("db"), down("cache", Criticality.OPTIONAL));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DEGRADED);
            assertThat(r.outcome().isPassing()).isTrue();
            assertThat(r.issues()).singleElement().satisfies(i -> {
                assertThat(i.severity()).isEqualTo(IssueSeverity.WARNING);
                assertThat(i.diagnostics()).isEqualTo("Optional check 'cache' is DOWN");
            });
        }
    }

    @Test
    void aDegradedCheckDegradesEvenWhenRequired() {
        CheckEntry slow = CheckEntry.builder("db").status(Status.DEGRADED).build();
        HealthReport r = build(READY, fine(), slow);
        assertThat(r.outcome()).isEqualTo(Outcome.DEGRADED);
        assertThat(r.issues()).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(IssueSeverity.WARNING);
            assertThat(i.diagnostics()).isEqualTo("Check 'db' is DEGRADED");
        });
    }

    @Test
    void aRequiredDownBeatsADegradedAndAnOptionalDown() {
        CheckEntry slow = CheckEntry.builder("slow").status(Status.DEGRADED).build();
        HealthReport r =
                build(READY, fine(), slow, down("cache", Criticality.OPTIONAL), down("db", Criticality.REQUIRED));
        assertThat(r.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(r.issues())
                .extracting(Issue::severity)
                .containsExactly(IssueSeverity.WARNING, IssueSeverity.WARNING, IssueSeverity.ERROR);
    }

    @Test
    void eachCauseGetsItsOwnSentence() {
        assertThat(diagnosticsOf(Cause.TIMEOUT)).isEqualTo("Required check 'db' timed out");
        assertThat(diagnosticsOf(Cause.EXCEPTION)).isEqualTo("Required check 'db' failed with an error");
        assertThat(diagnosticsOf(Cause.NEVER_RUN)).isEqualTo("Required check 'db' has not produced a result yet");
        assertThat(diagnosticsOf(Cause.CIRCUIT_OPEN)).isEqualTo("Required check 'db' is DOWN (circuit open)");
        assertThat(diagnosticsOf(Cause.REJECTED)).isEqualTo("Required check 'db' could not run (no thread available)");
        assertThat(diagnosticsOf(Cause.STALE))
                .isEqualTo("Required check 'db' is stale (its background refresh stopped completing)");
        assertThat(diagnosticsOf(Cause.INTERRUPTED))
                .isEqualTo("Required check 'db' was not awaited (the probe was interrupted)");
    }

    private static String diagnosticsOf(Cause cause) {
        CheckEntry e = CheckEntry.builder("db").status(Status.DOWN).cause(cause).build();
        Issue i = build(READY, fine(), e).issues().get(0);
        assertThat(i.subject()).isEqualTo(new IssueSubject.Check("db", CheckKind.PROCESS, cause));
        return i.diagnostics();
    }

    @Test
    void aLockFailsReadinessTheBasePathAndGroupsWith423AndLivenessAndStartupNeitherCountNorListIt() {
        for (Scope s : List.of(READY, Scope.all(), Scope.group("core"))) {
            HealthReport r = build(s, locked(Duration.ofSeconds(55)), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.LOCKED);
            assertThat(r.outcome()).isEqualTo(Outcome.LOCKED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(55));
            assertThat(r.issues()).singleElement().satisfies(i -> {
                assertThat(i.subject()).isEqualTo(new IssueSubject.Lock("schema-migration"));
                assertThat(i.severity()).isEqualTo(IssueSeverity.ERROR);
                assertThat(i.detail()).isEqualTo("Migrating to v42");
            });
        }
        for (Scope s : List.of(LIVE, STARTUP)) {
            HealthReport r = build(s, locked(Duration.ofSeconds(55)), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.UP);
            assertThat(r.locks()).as("not listed where they do not apply").isEmpty();
            assertThat(r.lockCount()).isZero();
            assertThat(r.retryAfter()).isNull();
        }
    }

    @Test
    void anOverdueLockStillAsksForARetryInOneSecond() {
        assertThat(build(READY, locked(Duration.ofSeconds(-3))).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(build(READY, locked(null)).retryAfter()).isNull();
    }

    @Test
    void aLockBeatsARequiredCheckDown() {
        HealthReport r = build(READY, locked(Duration.ofSeconds(10)), down("db", Criticality.REQUIRED));
        assertThat(r.outcome()).isEqualTo(Outcome.LOCKED);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(subjects(r)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(
            value = LicenseValidity.class,
            names = {"EXPIRED", "INVALID"})
    void anExpiredOrInvalidLicenseBlocksWith402AndBeatsALock(LicenseValidity v) {
        Verdicts.Conditions c = new Verdicts.Conditions(
                List.of(MIGRATION),
                Duration.ofSeconds(5),
                LicenseState.of(v).withLicensee("Acme").withMessage("why"),
                true,
                true,
                false,
                false,
                null);
        for (Scope s : EVERY_SCOPE) {
            HealthReport r = build(s, c, down("db", Criticality.REQUIRED));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.LICENSE_INVALID);
            assertThat(r.outcome()).isEqualTo(Outcome.LICENSE_INVALID);
            assertThat(r.retryAfter()).isNull();
            Issue first = r.issues().get(0);
            assertThat(first.subject()).isEqualTo(new IssueSubject.License(v));
            assertThat(first.severity()).isEqualTo(IssueSeverity.FATAL);
            assertThat(first.detail()).isEqualTo("why");
        }
    }

    @Test
    void onLivenessABlockingLicenseOnlyWarnsWhenTheSettingSaysSo() {
        HealthReport r = build(LIVE, license(LicenseValidity.EXPIRED, false), up("db"));
        assertThat(r.outcome()).isEqualTo(Outcome.DEGRADED);
        assertThat(r.issues()).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(IssueSeverity.WARNING);
            assertThat(i.diagnostics()).isEqualTo("The license has expired (expiry 2026-01-15T10:01:00Z)");
        });
        assertThat(build(READY, license(LicenseValidity.EXPIRED, false), up("db"))
                        .outcome())
                .as("the setting is about liveness only")
                .isEqualTo(Outcome.LICENSE_INVALID);
    }

    @Test
    void anExpiringLicenseWarnsEverywhere() {
        for (Scope s : EVERY_SCOPE) {
            HealthReport r = build(s, license(LicenseValidity.EXPIRING, true), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DEGRADED);
            assertThat(r.issues()).singleElement().satisfies(i -> {
                assertThat(i.severity()).isEqualTo(IssueSeverity.WARNING);
                assertThat(i.subject()).isEqualTo(new IssueSubject.License(LicenseValidity.EXPIRING));
            });
        }
        assertThat(build(READY, license(LicenseValidity.VALID, true)).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void notStartedFailsReadinessAndStartupButNotLiveness() {
        for (Scope s : List.of(READY, STARTUP, Scope.all(), Scope.group("core"))) {
            HealthReport r = build(s, lifecycle(false, false, false), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DOWN);
            assertThat(subjects(r)).containsExactly(new IssueSubject.Lifecycle(IssueSubject.Phase.NOT_STARTED));
        }
        assertThat(build(LIVE, lifecycle(false, false, false), up("db")).outcome())
                .isEqualTo(Outcome.UP);
    }

    @Test
    void drainingFailsReadinessOnly() {
        for (Scope s : List.of(READY, Scope.all(), Scope.group("core"))) {
            HealthReport r = build(s, lifecycle(true, true, false), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DOWN);
            assertThat(subjects(r)).containsExactly(new IssueSubject.Lifecycle(IssueSubject.Phase.DRAINING));
        }
        assertThat(build(LIVE, lifecycle(true, true, false), up("db")).outcome())
                .isEqualTo(Outcome.UP);
        assertThat(build(STARTUP, lifecycle(true, true, false), up("db")).outcome())
                .isEqualTo(Outcome.UP);
    }

    @Test
    void aClosedRegistryFailsReadinessAndStartupAndSaysClosedRatherThanDraining() {
        for (Scope s : List.of(READY, STARTUP)) {
            HealthReport r = build(s, lifecycle(true, true, true), up("db"));
            assertThat(r.outcome()).as(s.label()).isEqualTo(Outcome.DOWN);
            assertThat(subjects(r)).containsExactly(new IssueSubject.Lifecycle(IssueSubject.Phase.CLOSED));
        }
        assertThat(build(LIVE, lifecycle(true, true, true), up("db")).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void aLockBeatsNotStartedAndDraining() {
        Verdicts.Conditions c = new Verdicts.Conditions(
                List.of(MIGRATION), Duration.ofSeconds(7), null, true, false, true, false, null);
        HealthReport r = build(READY, c, up("db"));
        assertThat(r.outcome()).isEqualTo(Outcome.LOCKED);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aDownAnswerCarriesTheShortestBreakerWaitAndADegradedOneNone() {
        CheckEntry a = down("a", Criticality.REQUIRED).toBuilder()
                .cause(Cause.CIRCUIT_OPEN)
                .retryAfter(Duration.ofSeconds(30))
                .build();
        CheckEntry b = down("b", Criticality.REQUIRED).toBuilder()
                .cause(Cause.CIRCUIT_OPEN)
                .retryAfter(Duration.ofSeconds(12))
                .build();
        assertThat(build(READY, fine(), a, b).retryAfter()).isEqualTo(Duration.ofSeconds(12));

        CheckEntry optional = b.toBuilder().criticality(Criticality.OPTIONAL).build();
        assertThat(build(READY, fine(), optional).retryAfter()).isNull();
        assertThat(build(READY, lifecycle(false, false, false), b).retryAfter())
                .as("still DOWN: the breaker's wait stands")
                .isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void noRowProducesError() {
        // ERROR (500) is the handler's answer when evaluating itself fails; the table never yields it
        for (Scope s : EVERY_SCOPE) {
            assertThat(build(s, lifecycle(false, true, true), down("db", Criticality.REQUIRED))
                            .outcome())
                    .isNotEqualTo(Outcome.ERROR);
        }
    }
}
