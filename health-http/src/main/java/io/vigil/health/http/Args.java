package io.vigil.health.http;

import io.vigil.health.internal.util.Require;

/** Argument checks shared by the builders of this package. */
final class Args {
    private Args() {}

    /**
     * @throws IllegalArgumentException for a blank host or a port outside 1 to 65535
     */
    static void requireEndpoint(String host, int port) {
        Require.notBlank(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535");
        }
    }
}
