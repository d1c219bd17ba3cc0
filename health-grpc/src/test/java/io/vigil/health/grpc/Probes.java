package io.vigil.health.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Test client helpers: one Check with its headers, as a prober sees it. */
final class Probes {
    private Probes() {}

    /** What one Check returned: the status (or the gRPC error code) and the response headers. */
    record Reply(ServingStatus status, io.grpc.Status.Code error, Metadata headers) {
        String header(Metadata.Key<String> key) {
            return headers == null ? null : headers.get(key);
        }
    }

    static Reply check(ManagedChannel channel, String service) {
        return check(channel, service, 10_000);
    }

    static Reply check(ManagedChannel channel, String service, long deadlineMillis) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
        try {
            ServingStatus s = stub.check(
                            HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus();
            return new Reply(s, null, headers.get());
        } catch (StatusRuntimeException e) {
            return new Reply(null, e.getStatus().getCode(), headers.get());
        }
    }
}
