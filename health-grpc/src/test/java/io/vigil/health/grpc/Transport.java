package io.vigil.health.grpc;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The two transports every test runs on: grpc-java's in-process transport and real Netty on loopback. */
enum Transport {
    IN_PROCESS {
        @Override
        ServerBuilder<?> serverBuilder() {
            return InProcessServerBuilder.forName("vigil-grpc-" + NAMES.incrementAndGet());
        }

        @Override
        ManagedChannel channel(Server server) {
            return InProcessChannelBuilder.forAddress(server.getListenSockets().get(0))
                    .build();
        }
    },
    NETTY {
        @Override
        ServerBuilder<?> serverBuilder() {
            return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        @Override
        ManagedChannel channel(Server server) {
            return Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
                    .build();
        }
    };

    private static final AtomicInteger NAMES = new AtomicInteger();

    abstract ServerBuilder<?> serverBuilder();

    abstract ManagedChannel channel(Server server);

    /** A started server with the service (wrapped in the interceptors) and a channel to it. */
    Served serve(BindableService service, ServerInterceptor... interceptors) {
        try {
            Server server = serverBuilder()
                    .addService(ServerInterceptors.intercept(service, interceptors))
                    .build()
                    .start();
            return new Served(server, channel(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running server and a channel to it; closing stops both without waiting for calls. */
    record Served(Server server, ManagedChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            channel.shutdownNow();
            server.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller decides; the channel and server are shut down
            }
        }
    }
}
