package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check's own diagnosis wins over the generic timeout even when its answer comes too late: at the deadline the
 * engine asks a still-running check what it waits for ({@link HealthCheck#describeTimeout}) and reports those words,
 * still as a DOWN counted as a timeout. A check without words, or whose words fail, gets the generic message.
 */
class TimeoutDiagnosisTest {
    private static final CheckPolicy QUICK = CheckPolicy.builder()
            .cacheTtl(Duration.ZERO)
            .timeout(Duration.ofMillis(150))
            .build();

    private final Faults faults = new Faults();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        release.countDown();
        faults.closeAll();
    }

    private HealthRegistry registry() {
        return faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build());
    }

    /** A blocking check that hangs in a step it publishes, as a client library waiting for a pool would. */
    private final class Hanging implements HealthCheck {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicReference<CheckContext> called = new AtomicReference<>();
        final AtomicReference<CheckContext> describedWith = new AtomicReference<>();
        volatile String step = "not started";

        @Override
        public CheckResult check() {
            throw new AssertionError("the engine calls check(CheckContext)");
        }

        @Override
        public CheckResult check(CheckContext context) throws InterruptedException {
            called.set(context);
            step = "waiting for a connection from the pool";
            release.await(30, TimeUnit.SECONDS);
            return CheckResult.up();
        }

        @Override
        public String describeTimeout(CheckContext context) {
            asked.incrementAndGet();
            describedWith.set(context);
            return step;
        }
    }

    /** A check that hangs until released and has these words for its timeout. */
    private HealthCheck hangingWith(Function<CheckContext, String> words) {
        return new HealthCheck() {
            @Override
            public CheckResult check() throws InterruptedException {
                release.await(30, TimeUnit.SECONDS);
                return CheckResult.up();
            }

            @Override
            public String describeTimeout(CheckContext context) {
                return words.apply(context);
            }
        };
    }

    @Test
    void aHungBlockingCheckIsReportedInItsOwnWordsAsATimeout() {
        HealthRegistry health = registry();
        Hanging check = new Hanging();
        health.register("db", check, QUICK);

        CheckEntry e = health.evaluate(Probe.READINESS).checks().get(0);

        assertThat(e.status()).isEqualTo(Status.DOWN);
        assertThat(e.cause()).isEqualTo(Cause.TIMEOUT);
        assertThat(e.message()).isEqualTo("waiting for a connection from the pool");
        assertThat(check.asked).hasValue(1);
        assertThat(check.describedWith.get())
                .as("asked with the context its call received")
                .isSameAs(check.called.get());
    }

    @Test
    void aCheckWrappedToNameItsKindKeepsItsWords() {
        HealthRegistry health = registry();
        Hanging check = new Hanging();
        health.register("db", HealthCheck.of(CheckKind.DATASTORE, check), QUICK);

        CheckEntry e = health.evaluate(Probe.READINESS).checks().get(0);

        assertThat(e.message()).isEqualTo("waiting for a connection from the pool");
        assertThat(check.describedWith.get()).isSameAs(check.called.get());
    }

    @Test
    void anAsynchronousCheckWhoseStageNeverCompletesIsReportedInItsOwnWords() {
        HealthRegistry health = registry();
        AtomicReference<CheckContext> called = new AtomicReference<>();
        AsyncHealthCheck check = new AsyncHealthCheck() {
            @Override
            public CompletionStage<CheckResult> checkAsync(CheckContext context) {
                called.set(context);
                return new CompletableFuture<>(); // the dependency never answers, and no timer of its own fires
            }

            @Override
            public String describeTimeout(CheckContext context) {
                return context == called.get() ? "no answer from the broker to metadata" : "another call's context";
            }
        };
        health.register("broker", check, QUICK);

        CheckEntry e = health.evaluate(Probe.READINESS).checks().get(0);

        assertThat(e.status()).isEqualTo(Status.DOWN);
        assertThat(e.cause()).isEqualTo(Cause.TIMEOUT);
        assertThat(e.message()).isEqualTo("no answer from the broker to metadata");
    }

    @Test
    void aCheckWithoutWordsOrWhoseWordsFailGetsTheGenericMessage() {
        HealthRegistry health = registry();
        health.register(
                "silent",
                () -> {
                    release.await(30, TimeUnit.SECONDS);
                    return CheckResult.up();
                },
                QUICK);
        health.register(
                "broken",
                hangingWith(context -> {
                    throw new IllegalStateException("no state to describe");
                }),
                QUICK);
        health.register("blank", hangingWith(context -> " "), QUICK);

        for (CheckEntry e : health.evaluate(Probe.READINESS).checks()) {
            assertThat(e.status()).as(e.name()).isEqualTo(Status.DOWN);
            assertThat(e.cause()).as(e.name()).isEqualTo(Cause.TIMEOUT);
            assertThat(e.message()).as(e.name()).isEqualTo("timed out after 150 ms");
        }
    }

    @Test
    void aCheckThatAnswersInTimeIsNeverAsked() {
        HealthRegistry health = registry();
        Hanging check = new Hanging();
        release.countDown(); // answers at once
        health.register("db", check, QUICK);

        CheckEntry e = health.evaluate(Probe.READINESS).checks().get(0);

        assertThat(e.status()).isEqualTo(Status.UP);
        assertThat(check.asked).hasValue(0);
    }
}
