package io.vigil.health.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.vigil.health.Scope;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unary {@code Check}: resolves the name, joins or starts the evaluation, and answers when it is done or just
 * before the call's deadline, whichever comes first. No thread waits: the answer is sent by whichever of the
 * evaluation and the deadline timer comes first.
 */
final class CheckHandler implements ServerCallHandler<HealthCheckRequest, HealthCheckResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckHandler.class);
    /** The answer leaves this long before the deadline (a tenth of the time left, at most this), to arrive in time. */
    static final long MAX_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ServiceNames names;
    private final Evaluations evaluations;
    private final ScheduledExecutorService timer;
    private final BooleanSupplier closed;

    CheckHandler(ServiceNames names, Evaluations evaluations, ScheduledExecutorService timer, BooleanSupplier closed) {
        this.names = names;
        this.evaluations = evaluations;
        this.timer = timer;
        this.closed = closed;
    }

    @Override
    public ServerCall.Listener<HealthCheckRequest> startCall(
            ServerCall<HealthCheckRequest, HealthCheckResponse> call, Metadata headers) {
        Deadline deadline = Context.current().getDeadline();
        call.request(2); // a second message is a protocol error, and must be seen to be refused
        return new Exchange(call, deadline);
    }

    /** One Check call. */
    private final class Exchange extends ServerCall.Listener<HealthCheckRequest> {
        private final ServerCall<HealthCheckRequest, HealthCheckResponse> call;
        private final Deadline deadline;
        private final AtomicBoolean done = new AtomicBoolean();
        private @Nullable HealthCheckRequest request; // only touched by the call's serialized listener callbacks
        private volatile @Nullable Future<?> deadlineTimer;

        Exchange(ServerCall<HealthCheckRequest, HealthCheckResponse> call, Deadline deadline) {
            this.call = call;
            this.deadline = deadline;
        }

        @Override
        public void onMessage(HealthCheckRequest message) {
            if (request != null) {
                fail(Status.INTERNAL.withDescription("Check takes exactly one request"));
                return;
            }
            request = message;
        }

        @Override
        public void onHalfClose() {
            if (done.get()) {
                return;
            }
            if (request == null) {
                fail(Status.INTERNAL.withDescription("Check takes exactly one request"));
            } else if (closed.getAsBoolean()) {
                fail(Status.UNAVAILABLE.withDescription("the health service is shut down"));
            } else {
                check(request.getService());
            }
        }

        @Override
        public void onCancel() {
            done.set(true);
            Future<?> t = deadlineTimer;
            if (t != null) {
                t.cancel(false);
            }
        }

        private void check(String service) {
            Scope target = names.resolve(service);
            if (target == null) {
                fail(Status.NOT_FOUND.withDescription("unknown service"));
                return;
            }
            if (deadline != null) {
                long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
                long at = Math.max(0, left - Math.min(left / 10, MAX_MARGIN_NANOS));
                try {
                    deadlineTimer = timer.schedule(() -> answer(Answer.deadlineFirst()), at, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    fail(Status.UNAVAILABLE.withDescription("the health service is shut down"));
                    return;
                }
            }
            // the callback handles every outcome itself; the stage it returns is not needed
            var unused = evaluations
                    .evaluate(target, false)
                    .whenComplete((report, failure) -> answer(report == null ? Answer.failed() : Answer.of(report)));
        }

        private void answer(Answer a) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            Future<?> t = deadlineTimer;
            if (t != null) {
                t.cancel(false);
            }
            try {
                synchronized (this) {
                    call.sendHeaders(a.headers());
                    call.sendMessage(a.response());
                    call.close(Status.OK, new Metadata());
                }
            } catch (RuntimeException e) {
                LOG.debug("gRPC health Check answer not sent: {}", e.toString()); // the call was cancelled meanwhile
            }
        }

        private void fail(Status status) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                synchronized (this) {
                    call.close(status, new Metadata());
                }
            } catch (RuntimeException e) {
                LOG.debug("gRPC health Check status not sent: {}", e.toString());
            }
        }
    }
}
