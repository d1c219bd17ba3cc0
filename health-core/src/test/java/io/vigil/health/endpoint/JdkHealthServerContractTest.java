package io.vigil.health.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Predicate;

/** The HTTP contract over the JDK's built-in server. */
class JdkHealthServerContractTest extends HttpContractSuite {
    @Override
    protected boolean passesMalformedEscapes() {
        return false;
    }

    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        JdkHealthServer server = JdkHealthServer.builder(handler)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .authorizer(authorized).start();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        return new Served() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
