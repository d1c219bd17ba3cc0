package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on raw answers shared by the transport tests. */
final class Answers {
    private Answers() {}

    /** The handler answered: the status, an OperationOutcome body, its headers. */
    static void operationOutcome(Http.Raw answer, int status) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
        assertThat(answer.headers().get("content-type"))
                .as("content type of %s", answer)
                .startsWith("application/fhir+json");
        assertThat(answer.headers()).containsEntry("cache-control", "no-store");
        assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"");
        assertThat(answer.headers().get("content-length"))
                .isEqualTo(Integer.toString(answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        noInternals(answer);
    }

    /** Whoever answered (the container may reject input before the servlet): a 4xx without internals. */
    static void clientError(Http.Raw answer) {
        assertThat(answer.status()).as("status of %s", answer).isBetween(400, 499);
        noInternals(answer);
    }

    static void noInternals(Http.Raw answer) {
        assertThat(answer.body())
                .as("body of %s", answer)
                .doesNotContain("Exception", "\tat ", ".java:", "at org.", "at java.");
    }
}
