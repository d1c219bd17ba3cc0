package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.IssueSubject;
import io.vigil.health.OutOfService;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The out-of-service switch against a model: any sequence of "out (reason r)" and "back" calls leaves exactly the
 * model's state (the first time kept while a new reason replaces the old), logs once per change, and readiness is
 * DOWN with one OUT_OF_SERVICE issue exactly while the model is out, liveness never.
 */
class ServiceControlPropertiesTest {
    private record Model(String reason, Instant since) {}

    @Property(tries = 200)
    void theSwitchFollowsTheModel(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> ops) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        ServiceControl control = new ServiceControl(clock);
        Model model = null;
        int changes = 0;
        try (LogCapture log = LogCapture.of(ServiceControl.class.getName())) {
            for (int op : ops) {
                clock.advance(Duration.ofSeconds(1));
                if (op == 0) {
                    OutOfService left = control.backInService();
                    assertThat(left == null).isEqualTo(model == null);
                    changes += model == null ? 0 : 1;
                    model = null;
                } else {
                    String reason = "reason " + op;
                    control.outOfService(reason, "op");
                    if (model == null || !model.reason().equals(reason)) {
                        changes++;
                    }
                    model = new Model(reason, model == null ? clock.instant() : model.since());
                }
                OutOfService now = control.current();
                if (model == null) {
                    assertThat(now).isNull();
                } else {
                    assertThat(now).isEqualTo(new OutOfService(model.reason(), "op", model.since()));
                }
                Verdicts.Conditions c = new Verdicts.Conditions(List.of(), null, null, true, true, false, false, now);
                var ready = Verdicts.build(Scope.of(Probe.READINESS), List.of(), c, clock.instant());
                assertThat(ready.outcome()).isEqualTo(model == null ? Outcome.UP : Outcome.DOWN);
                assertThat(ready.issues().stream()
                                .filter(i -> i.subject()
                                        .equals(new IssueSubject.Lifecycle(IssueSubject.Phase.OUT_OF_SERVICE)))
                                .count())
                        .isEqualTo(model == null ? 0 : 1);
                assertThat(Verdicts.build(Scope.of(Probe.LIVENESS), List.of(), c, clock.instant())
                                .outcome())
                        .isEqualTo(Outcome.UP);
            }
            assertThat(log.events()).hasSize(changes);
        }
    }
}
