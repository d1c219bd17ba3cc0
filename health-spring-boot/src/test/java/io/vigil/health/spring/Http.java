package io.vigil.health.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A bounded HTTP client for the tests (loopback only). */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {}

    static HttpResponse<String> get(URI base, String path) {
        try {
            return CLIENT.send(request(base, path), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(URI base, String path) {
        return get(base, path).statusCode();
    }

    static java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(URI base, String path) {
        return CLIENT.sendAsync(request(base, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    static URI local(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }
}
