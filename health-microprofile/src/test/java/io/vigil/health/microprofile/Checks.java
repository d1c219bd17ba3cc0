package io.vigil.health.microprofile;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** MicroProfile checks written exactly as applications write them. */
final class Checks {
    private Checks() {}

    @Liveness
    @Readiness
    static final class Everywhere implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("everywhere")
                    .up()
                    .withData("region", "eu-1")
                    .withData("nodes", 3L)
                    .build();
        }
    }

    @Readiness
    static final class Throwing implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            throw new IllegalStateException("pool closed");
        }
    }

    @Readiness
    static final class ReturnsNull implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return null;
        }
    }

    @Startup
    static final class Warmup implements HealthCheck {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean warm;

        @Override
        public HealthCheckResponse call() {
            calls.incrementAndGet();
            return HealthCheckResponse.named("warmup").status(warm).build();
        }
    }

    static final class Unqualified implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("unqualified");
        }
    }
}
