package io.vigil.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A test client's Watch stream: every status received, in order, and how the stream ended. */
final class Watcher implements StreamObserver<HealthCheckResponse> {
    final BlockingQueue<ServingStatus> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final AtomicReference<Metadata> headers = new AtomicReference<>();

    static Watcher watch(ManagedChannel channel, String service) {
        Watcher w = new Watcher();
        HealthGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(w.headers, new AtomicReference<>()))
                .watch(HealthCheckRequest.newBuilder().setService(service).build(), w);
        return w;
    }

    /** @return the next status, failing the test if none comes within 10 s */
    ServingStatus next() throws InterruptedException {
        ServingStatus s = received.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a status within 10 s").isNotNull();
        return s;
    }

    Status ended() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(HealthCheckResponse value) {
        received.add(value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }
}
