package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report model's values: defaults, copies, equality, and that nothing mutates a value after it is built. */
class ReportModelTest {
    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");

    @Test
    void aNewEntryIsAnUpRequiredProcessCheckThatNeverRan() {
        CheckEntry e = CheckEntry.builder("db").build();
        assertThat(e.status()).isEqualTo(Status.UP);
        assertThat(e.criticality()).isEqualTo(Criticality.REQUIRED);
        assertThat(e.kind()).isEqualTo(CheckKind.PROCESS);
        assertThat(e.cause()).isEqualTo(Cause.REPORTED);
        assertThat(e.message()).isEmpty();
        assertThat(e.data()).isEmpty();
        assertThat(e.duration()).isEqualTo(Duration.ZERO);
        assertThat(e.cached()).isFalse();
        assertThat(e.checkedAt()).isNull();
        assertThat(e.breaker()).isEqualTo(BreakerState.CLOSED);
        assertThat(e.retryAfter()).isNull();
        assertThat(e.since()).isNull();
        assertThat(e.lastSuccess()).isNull();
        assertThat(e.consecutiveFailures()).isZero();
    }

    @Test
    void historyFieldsAreCopiedAndCompared() {
        CheckEntry e = CheckEntry.builder("db")
                .status(Status.DOWN)
                .since(T)
                .lastSuccess(T.minusSeconds(10))
                .consecutiveFailures(3)
                .build();
        assertThat(e.toBuilder().build()).isEqualTo(e).hasSameHashCodeAs(e);
        assertThat(e.asCached().since()).isEqualTo(T);
        assertThat(e.asCached().consecutiveFailures()).isEqualTo(3);
        assertThat(e.toBuilder().since(T.plusSeconds(1)).build()).isNotEqualTo(e);
        assertThat(e.toBuilder().lastSuccess(null).build()).isNotEqualTo(e);
        assertThat(e.toBuilder().consecutiveFailures(2).build()).isNotEqualTo(e);
        assertThat(e.toString()).contains("since=" + T, "consecutiveFailures=3");
        assertThatThrownBy(() -> CheckEntry.builder("db").consecutiveFailures(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consecutiveFailures");
    }

    @Test
    void transitionsAreValuesThatRejectNulls() {
        Transition t = Transition.of("db", Status.UP, Status.DOWN, Cause.TIMEOUT, T);
        assertThat(t)
                .isEqualTo(Transition.of("db", Status.UP, Status.DOWN, Cause.TIMEOUT, T))
                .hasSameHashCodeAs(Transition.of("db", Status.UP, Status.DOWN, Cause.TIMEOUT, T))
                .isNotEqualTo(Transition.of("db", Status.UP, Status.DOWN, Cause.REPORTED, T));
        assertThat(t.toString()).isEqualTo("Transition[subject=db, from=UP, to=DOWN, cause=TIMEOUT, at=" + T + "]");
        assertThatThrownBy(() -> Transition.of("db", null, Status.DOWN, Cause.TIMEOUT, T))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("from");
        assertThatThrownBy(() -> Transition.of("db", Status.UP, Status.DOWN, Cause.TIMEOUT, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("at");
    }

    @Test
    void copiesChangeOneFieldAndKeepTheRest() {
        CheckEntry e = CheckEntry.builder("db")
                .status(Status.DOWN)
                .kind(CheckKind.DATASTORE)
                .message("refused")
                .duration(Duration.ofMillis(5))
                .checkedAt(T)
                .build();
        assertThat(e.toBuilder().build()).isEqualTo(e).hasSameHashCodeAs(e);
        CheckEntry renamed = e.withName("primary");
        assertThat(renamed.name()).isEqualTo("primary");
        assertThat(renamed.toBuilder().name("db").build()).isEqualTo(e);
        assertThat(e.withStatus(Status.UP).status()).isEqualTo(Status.UP);
        assertThat(e.withMessage(null).message()).isEmpty();
        assertThat(e.asCached().cached()).isTrue();
        CheckEntry cached = e.asCached();
        assertThat(cached.asCached()).isSameAs(cached);
        assertThat(e.withName("db")).isSameAs(e);
        assertThat(e).isNotEqualTo(e.asCached());
    }

    @Test
    void anEntryKeepsNoReferenceToTheCallersMap() {
        Map<String, Object> data = new HashMap<>(Map.of("pool.active", 3));
        CheckEntry e = CheckEntry.builder("db").data(data).build();
        data.put("leak", true);
        assertThat(e.data()).containsOnlyKeys("pool.active");
        assertThatThrownBy(() -> e.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aReportCopiesItsListsAndComparesByValue() {
        List<CheckEntry> checks =
                new java.util.ArrayList<>(List.of(CheckEntry.builder("db").build()));
        HealthReport r = HealthReport.builder(Scope.of(Probe.READINESS), Outcome.UP)
                .checks(checks)
                .timestamp(T)
                .build();
        checks.clear();
        assertThat(r.checks()).hasSize(1);
        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.withChecks(List.of()).checks()).isEmpty();
        assertThat(r.since()).isNull();
        assertThat(r.transitions()).isEmpty();
        List<Transition> ts =
                new java.util.ArrayList<>(List.of(Transition.of("db", Status.UP, Status.DOWN, Cause.REPORTED, T)));
        HealthReport remembering = r.toBuilder().since(T).transitions(ts).build();
        ts.clear();
        assertThat(remembering.transitions()).hasSize(1);
        assertThat(remembering.toBuilder().build()).isEqualTo(remembering).isNotEqualTo(r);
        assertThat(remembering.withChecks(List.of()).since()).isEqualTo(T);
        assertThatThrownBy(() -> remembering.transitions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.outcome().isPassing()).isTrue();
        assertThatThrownBy(() -> r.issues().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void scopesAreValuesWithOneLabelEach() {
        assertThat(Scope.group("core"))
                .isEqualTo(Scope.group("core"))
                .hasSameHashCodeAs(Scope.group("core"))
                .isNotEqualTo(Scope.group("edge"));
        assertThat(Scope.of(Probe.LIVENESS).label()).isEqualTo("liveness");
        assertThat(Scope.all().label()).isEqualTo("all");
        assertThat(Scope.group("core").label()).isEqualTo("group:core");
        assertThat(Scope.group("core").rules()).isEqualTo(Probe.READINESS);
        assertThat(Scope.all().rules()).isEqualTo(Probe.READINESS);
        assertThat(Scope.of(Probe.STARTUP).rules()).isEqualTo(Probe.STARTUP);
        assertThat(Scope.of(Probe.STARTUP).probe()).isEqualTo(Probe.STARTUP);
        assertThat(Scope.all().probe()).isNull();
    }

    @Test
    void aScopeSelectsTheChecksRegisteredOnIt() {
        CheckPolicy live =
                CheckPolicy.builder().probes(Probe.LIVENESS).groups("core").build();
        assertThat(Scope.of(Probe.LIVENESS).selects(live)).isTrue();
        assertThat(Scope.of(Probe.READINESS).selects(live)).isFalse();
        assertThat(Scope.group("core").selects(live)).isTrue();
        assertThat(Scope.group("edge").selects(live)).isFalse();
        assertThat(Scope.all().selects(live)).isTrue();
    }

    @Test
    void policiesCopyAndCompareByValue() {
        CheckPolicy p = CheckPolicy.builder()
                .groups("core")
                .optional()
                .timeout(Duration.ofMillis(300))
                .build();
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(p.withTimeout(Duration.ofSeconds(2)).timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.withTimeout(Duration.ofSeconds(2)).groups()).containsExactly("core");
        assertThat(p.withCriticality(Criticality.REQUIRED).criticality()).isEqualTo(Criticality.REQUIRED);
        assertThat(CheckPolicy.defaults()).isEqualTo(CheckPolicy.builder().build());
        assertThatThrownBy(() -> p.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive");
        assertThatThrownBy(() -> CheckPolicy.builder().noProbes().build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuesShowTheirDetailOnlyToCallersWhoMaySeeIt() {
        Issue i = Issue.of(IssueSeverity.ERROR, new IssueSubject.Lock("migration"), "Locked by task 'migration'")
                .withDetail("Migrating to v42");
        assertThat(i.diagnosticsFor(false)).isEqualTo("Locked by task 'migration'");
        assertThat(i.diagnosticsFor(true)).isEqualTo("Locked by task 'migration': Migrating to v42");
        assertThat(i.withDetail(null).diagnosticsFor(true)).isEqualTo("Locked by task 'migration'");
        assertThat(i)
                .isEqualTo(
                        Issue.of(IssueSeverity.ERROR, new IssueSubject.Lock("migration"), "Locked by task 'migration'")
                                .withDetail("Migrating to v42"));
        assertThat(i.withSeverity(IssueSeverity.WARNING)).isNotEqualTo(i);
    }

    @Test
    void latestIsAnUnmodifiableSnapshotAndOneEntryIsReadByName() {
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register("db", CheckResult::up);
            health.register("cache", CheckResult::up);
            Map<String, CheckEntry> latest = health.latest();
            assertThat(latest.keySet()).containsExactly("db", "cache");
            assertThatThrownBy(() -> latest.remove("db")).isInstanceOf(UnsupportedOperationException.class);
            assertThat(health.latest("db").cause()).isEqualTo(Cause.NEVER_RUN);
            health.evaluate(Probe.READINESS);
            assertThat(health.latest("db").cause()).isEqualTo(Cause.REPORTED);
            assertThat(latest.get("db").cause()).as("a snapshot, not a view").isEqualTo(Cause.NEVER_RUN);
            health.unregister("db");
            assertThat(health.latest("db")).isNull();
            assertThat(health.latest()).containsOnlyKeys("cache");
        }
    }

    @Test
    void licenseAndLockValuesAreCompletedByCopies() {
        LicenseState l = LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee("Acme")
                .withExpires(T)
                .withMessage("soon");
        assertThat(l.validity()).isEqualTo(LicenseValidity.EXPIRING);
        assertThat(l.licensee()).isEqualTo("Acme");
        assertThat(l.expires()).isEqualTo(T);
        assertThat(l)
                .isEqualTo(LicenseState.of(LicenseValidity.EXPIRING)
                        .withExpires(T)
                        .withMessage("soon")
                        .withLicensee("Acme"));
        assertThat(LicenseState.invalid(null).message()).isEmpty();
        LockInfo lock = LockInfo.of("migration", T).withMaxDuration(Duration.ofMinutes(1));
        assertThat(lock.expiresAt()).isEqualTo(T.plusSeconds(60));
        assertThat(lock.description()).isEmpty();
        assertThat(lock.withDescription("v42").withMaxDuration(null).expiresAt())
                .isNull();
    }
}
