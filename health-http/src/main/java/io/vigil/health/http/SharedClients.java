package io.vigil.health.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link HttpClient}s behind {@link HttpCheck}s built without a client of their own: one per distinct
 * (connect timeout, redirect policy), created on first use and shared by every such check in the JVM, so a
 * hundred checks share one selector thread and one connection pool. Holds no check state.
 */
final class SharedClients {
    private record Key(Duration connectTimeout, HttpClient.Redirect redirects) {}

    private static final Map<Key, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SharedClients() {}

    static HttpClient get(Duration connectTimeout, HttpClient.Redirect redirects) {
        return CLIENTS.computeIfAbsent(
                new Key(connectTimeout, redirects),
                k -> HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(k.connectTimeout())
                        .followRedirects(k.redirects())
                        .build());
    }
}
