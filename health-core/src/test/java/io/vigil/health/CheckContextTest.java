package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheckContextTest {

    @Test
    void theEngineHandsACheckTheTimeLeftOfItsRegistrationTimeout() {
        AtomicReference<Duration> seen = new AtomicReference<>();
        HealthCheck check = new HealthCheck() {
            @Override
            public CheckResult check() {
                throw new AssertionError("the engine calls check(CheckContext)");
            }

            @Override
            public CheckResult check(CheckContext context) {
                seen.set(context.remaining());
                return CheckResult.up();
            }
        };
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "ctx",
                    check,
                    CheckPolicy.builder().timeout(Duration.ofSeconds(3)).build());
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        }
        assertThat(seen.get()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLambdaIgnoresTheContextAndWrappersPassItOn() throws Exception {
        AtomicReference<CheckContext> seen = new AtomicReference<>();
        HealthCheck inner = new HealthCheck() {
            @Override
            public CheckResult check() {
                return CheckResult.down("no context");
            }

            @Override
            public CheckResult check(CheckContext context) {
                seen.set(context);
                return CheckResult.up();
            }
        };
        CheckContext ctx = CheckContext.within(Duration.ofSeconds(1));
        assertThat(HealthCheck.of(CheckKind.DEPENDENCY, inner).check(ctx).status())
                .isEqualTo(Status.UP);
        assertThat(seen.get()).isSameAs(ctx);
        HealthCheck lambda = CheckResult::up;
        assertThat(lambda.check(ctx).status()).isEqualTo(Status.UP);
    }

    @Test
    void ioTimeoutKeepsAReserveForReportingAndADirectContextGivesExactlyTheCap() {
        Duration io = CheckContext.within(Duration.ofSeconds(1)).ioTimeout();
        assertThat(io).isLessThanOrEqualTo(Duration.ofMillis(800)).isGreaterThan(Duration.ZERO);
        assertThat(CheckContext.within(Duration.ofMinutes(1)).ioTimeout(Duration.ofMillis(800)))
                .isEqualTo(Duration.ofMillis(800));
        for (long ms : new long[] {1, 300, 900, 1000, 2000, 60_000}) {
            assertThat(CheckContext.direct(Duration.ofMillis(ms)).ioTimeout(Duration.ofMillis(ms)))
                    .isEqualTo(Duration.ofMillis(ms));
        }
        assertThat(CheckContext.within(Duration.ofNanos(1)).ioTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void remainingIsCappedAndNeverNegative() {
        CheckContext ctx = CheckContext.within(Duration.ofHours(1));
        assertThat(ctx.remaining(Duration.ofMillis(800))).isEqualTo(Duration.ofMillis(800));
        assertThat(ctx.expired()).isFalse();
        CheckContext tiny = CheckContext.within(Duration.ofNanos(1));
        assertThat(tiny.remaining()).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(CheckContext.within(Duration.ofSeconds(Long.MAX_VALUE)).remaining())
                .isPositive();
        assertThatThrownBy(() -> CheckContext.within(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget");
        assertThatThrownBy(() -> CheckContext.within(null)).isInstanceOf(NullPointerException.class);
    }
}
