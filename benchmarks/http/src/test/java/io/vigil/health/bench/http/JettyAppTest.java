package io.vigil.health.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The two URLs wrk.sh compares answer what they should; the comparison itself runs only in run.sh. */
class JettyAppTest {

    @Test
    void servesReadinessThroughTheServletAndTheConstantBodyOnOneServer() throws Exception {
        try (JettyApp app = JettyApp.start(0)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ready = client.send(
                    HttpRequest.newBuilder(app.uri().resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<byte[]> constant = client.send(
                    HttpRequest.newBuilder(app.uri().resolve("/constant")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).startsWith("{\"status\":\"UP\"").contains("\"check-10\"");
            assertThat(constant.statusCode()).isEqualTo(200);
            assertThat(constant.body()).hasSize(200).isEqualTo(JettyApp.CONSTANT);
            assertThat(constant.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }
}
