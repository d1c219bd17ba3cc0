package io.vigil.health.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Watch} stream. It holds at most one answer that the client is not ready for; a newer one replaces it
 * (latest status wins), so a slow client costs one slot and never delays anyone else. Only a status that differs
 * from the last one sent is sent.
 */
final class WatchStream extends ServerCall.Listener<HealthCheckRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);

    private final ServerCall<HealthCheckRequest, HealthCheckResponse> call;
    private final WatchHub hub;
    private volatile @Nullable String name; // set once by the request
    private @Nullable Answer pending; // guarded by this
    private @Nullable ServingStatus sent; // guarded by this
    private boolean headersSent; // guarded by this
    private boolean closed; // guarded by this

    WatchStream(ServerCall<HealthCheckRequest, HealthCheckResponse> call, WatchHub hub) {
        this.call = call;
        this.hub = hub;
    }

    /** @return the watched service name, or {@code null} before the request arrived */
    @Nullable
    String name() {
        return name;
    }

    @Override
    public void onMessage(HealthCheckRequest message) {
        if (name != null) {
            complete(Status.INTERNAL.withDescription("Watch takes exactly one request"), false);
            return;
        }
        name = message.getService();
        hub.watch(this);
    }

    @Override
    public void onHalfClose() {
        if (name == null) {
            complete(Status.INTERNAL.withDescription("Watch takes exactly one request"), false);
        }
    }

    @Override
    public void onReady() {
        synchronized (this) {
            flush();
        }
    }

    @Override
    public void onCancel() {
        synchronized (this) {
            closed = true;
            pending = null;
        }
        hub.forget(this);
    }

    /** Offers a status: sent now if the client is ready for it, otherwise kept until it is (replacing any older). */
    void offer(Answer answer) {
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = answer;
            flush();
        }
    }

    // guarded by this
    private void flush() {
        if (closed || pending == null || !call.isReady()) {
            return;
        }
        Answer a = pending;
        pending = null;
        try {
            if (!headersSent) {
                call.sendHeaders(a.headers());
                headersSent = true;
            }
            if (a.status() != sent) {
                call.sendMessage(a.response());
                sent = a.status();
            }
        } catch (RuntimeException e) {
            closed = true; // cancelled meanwhile; onCancel follows
            LOG.debug("gRPC health Watch message not sent: {}", e.toString());
        }
    }

    /**
     * Ends the stream now.
     *
     * @param status      the closing status
     * @param notServing  whether to tell a watcher of a known service NOT_SERVING first (shutdown)
     */
    void complete(Status status, boolean notServing) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = null;
            try {
                if (notServing
                        && sent != ServingStatus.NOT_SERVING
                        && sent != ServingStatus.SERVICE_UNKNOWN
                        && call.isReady()) {
                    if (!headersSent) {
                        call.sendHeaders(new Metadata());
                        headersSent = true;
                    }
                    call.sendMessage(HealthCheckResponse.newBuilder()
                            .setStatus(ServingStatus.NOT_SERVING)
                            .build());
                }
                call.close(status, new Metadata());
            } catch (RuntimeException e) {
                LOG.debug("gRPC health Watch not closed cleanly: {}", e.toString());
            }
        }
        hub.forget(this);
    }
}
