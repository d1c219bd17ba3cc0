package io.vigil.health.server;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.HttpContractSuite;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Predicate;

/** The HTTP contract over the JDK's built-in server. */
class JdkHealthServerContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        JdkHealthServer server = JdkHealthServer.builder(handler)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .authorizer(authorized::test)
                .start();
        return Served.of(URI.create("http://127.0.0.1:" + server.port()), server::close);
    }

    @Override
    protected boolean datesFromRegistryClock() {
        return true;
    }
}
