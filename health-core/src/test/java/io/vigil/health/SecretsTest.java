package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void urlUserInfoQueryStringsAndKeyValuesAreRedacted() {
        assertThat(Secrets.redact("jdbc:postgresql://app:hunter2@db:5432/app?password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://***@db:5432/app?***");
        assertThat(Secrets.redact("rediss://:s3cret@cache:6380/0")).isEqualTo("rediss://***@cache:6380/0");
        assertThat(Secrets.redact("login failed: password=hunter2; user=app")).doesNotContain("hunter2");
        assertThat(Secrets.redact("Authorization: Bearer abc.def.ghi")).doesNotContain("abc.def");
        assertThat(Secrets.redact("sent bearer eyJhbGciOi.x.y to upstream")).isEqualTo("sent bearer *** to upstream");
        assertThat(Secrets.redact("connection refused")).isEqualTo("connection refused");
    }

    @Test
    void aSecretInEveryFormUnderEveryKeyIsRedacted() {
        for (int form = 0; form < PlantedSecrets.FORMS; form++) {
            for (String key : PlantedSecrets.KEYS) {
                for (String raw : new String[] {"hunter2", "p@ss:w0rd!", "a b;c&d,e\"f'g"}) {
                    PlantedSecrets.assertRedacted(form, key, form % 2 == 0, "check failed: ", raw, " (retrying)");
                    PlantedSecrets.assertRedacted(form, key, false, "", raw, "");
                    PlantedSecrets.assertRedacted(form, key, true, "{\"body\":", raw, "}\n next line");
                }
            }
        }
    }

    @Test
    void theIssuesExamplesAreRedacted() {
        assertThat(Secrets.redact("{\"client_secret\":\"s3cr3t\"}")).isEqualTo("{\"client_secret\":\"***\"}");
        assertThat(Secrets.redact("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig\"}"))
                .isEqualTo("{\"access_token\":\"***\"}");
        assertThat(Secrets.redact("{\"Authorization\": \"Basic dXNlcjpodW50ZXIy\"}"))
                .isEqualTo("{\"Authorization\": \"***\"}");
        assertThat(Secrets.redact("password='hunter2'")).isEqualTo("password='***'");
        assertThat(Secrets.redact("secret: \"hunter2\"")).isEqualTo("secret: \"***\"");
        assertThat(Secrets.redact("cannot connect to postgres://user:p@ssw0rd@db/app"))
                .isEqualTo("cannot connect to postgres://***@db/app");
        assertThat(Secrets.redact("HTTP 400 {\"error\":\"invalid_grant\",\"refresh_token\":\"rt-9f8e7d6c\"}"))
                .isEqualTo("HTTP 400 {\"error\":\"invalid_grant\",\"refresh_token\":\"***\"}");
    }

    @Test
    void realWorldErrorBodiesLoseTheirSecretsAndKeepTheirDiagnosis() {
        String[][] corpus = {
            // OAuth 2 token endpoint (RFC 6749 5.2) echoing the request, and a token response
            {
                "HTTP 400 from https://idp.example.com/oauth2/token: {\"error\":\"invalid_client\","
                        + "\"error_description\":\"Client authentication failed\",\"client_id\":\"orders\","
                        + "\"client_secret\":\"9f8e7d6c5b4a\"}",
                "9f8e7d6c5b4a",
                "invalid_client"
            },
            {
                "{\"access_token\":\"ya29.a0AfH6SMBx\",\"expires_in\":3599,\"refresh_token\":\"1//0gYrT\","
                        + "\"id_token\":\"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln\",\"token_type\":\"Bearer\"}",
                "ya29.a0AfH6SMBx|1//0gYrT|eyJpc3MiOiJ4In0",
                "\"expires_in\":3599"
            },
            {"WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"", "", "invalid_token"},
            // PostgreSQL / JDBC
            {"FATAL: password authentication failed for user \"orders\"", "", "password authentication failed"},
            {"jdbc:postgresql://db:5432/orders?user=orders&password=hunter2&ssl=true", "hunter2", "db:5432/orders"},
            {
                "jdbc:sqlserver://db:1433;databaseName=orders;user=sa;password=hunter2;encrypt=true",
                "hunter2",
                "encrypt=true"
            },
            {"jdbc:oracle:thin:scott/tiger@//db:1521/ORCL", "tiger", "db:1521/ORCL"},
            {"jdbc:mysql://orders:hunter2@db:3306/orders", "hunter2", "db:3306/orders"},
            {
                "ERROR: syntax error at or near \"PASSWORD\" in ALTER ROLE orders PASSWORD 'hunter2'",
                "hunter2",
                "syntax error"
            },
            {"spring.datasource.password=hunter2\nspring.datasource.url=jdbc:h2:mem:x", "hunter2", "jdbc:h2:mem:x"},
            // Redis
            {"WRONGPASS invalid username-password pair or user is disabled.", "", "WRONGPASS invalid username"},
            {"NOAUTH Authentication required.", "", "NOAUTH"},
            {"Unable to connect to rediss://default:hunter2@cache:6380/0", "hunter2", "cache:6380/0"},
            {"redis://cache:6379?password=hunter2&timeout=2s", "hunter2", "cache:6379"},
            // AWS SDK
            {
                "The request signature we calculated does not match the signature you provided. (Service: S3, Status"
                        + " Code: 403, Request ID: 4442587FB7D0A2F9)",
                "",
                "Request ID: 4442587FB7D0A2F9"
            },
            {
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + " SignedHeaders=host;range;x-amz-date,"
                        + " Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
                "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
                "Authorization"
            },
            {
                "https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abcdef0123456789",
                "abcdef0123456789",
                "bucket.s3.amazonaws.com/k"
            },
            {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI", "aws_secret"},
            {"X-Amz-Security-Token: FwoGZXIvYXdzEBYaDHqa0AP", "FwoGZXIvYXdzEBYaDHqa0AP", "X-Amz-Security-Token"},
            // HTTP headers and keys
            {"Set-Cookie: SESSION=YmFkNGQ2; Path=/; HttpOnly", "YmFkNGQ2", "Set-Cookie"},
            {"Proxy-Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy", "Proxy-Authorization"},
            {"upstream said: Basic authentication failed", "", "Basic authentication failed"},
            {"x-api-key: 0123456789abcdef rejected", "0123456789abcdef", "rejected"},
            {
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEA7",
                "BEGIN RSA PRIVATE KEY"
            },
            // no secret: unchanged
            {"connection refused", "", "connection refused"},
            {"HTTP 503 from https://token-service.internal:8443/health", "", "token-service.internal:8443/health"},
            {"license signature does not match", "", "license signature does not match"},
        };
        for (String[] c : corpus) {
            String out = Secrets.redact(c[0]);
            if (!c[1].isEmpty()) {
                for (String secret : c[1].split("\\|")) {
                    assertThat(out).as(c[0]).doesNotContain(secret);
                }
            } else {
                assertThat(out).as("nothing to redact").isEqualTo(c[0]);
            }
            assertThat(out).as(c[0]).contains(c[2]);
        }
    }

    @Test
    void safeUrlDropsUserInfoQueryAndFragment() {
        assertThat(Secrets.safeUrl("https://u:p@api.example.com/health?token=t#x"))
                .isEqualTo("https://api.example.com/health");
        assertThat(Secrets.safeUrl("postgres://user:p@ssw0rd@db:5432/app")).isEqualTo("postgres://db:5432/app");
    }

    @Test
    void describeNamesTheTypeAndFollowsEmptyMessagesToTheCause() {
        Exception e = new RuntimeException(null, new java.net.ConnectException("Connection refused"));
        assertThat(Secrets.describe(e)).isEqualTo("ConnectException: Connection refused");
    }

    @Test
    void hugeInputIsCutBeforeTheRegexesRun() {
        assertThat(Secrets.redact("http://" + "a".repeat(1_000_000))).hasSize(Secrets.MAX_LENGTH);
    }

    @Test
    void aRedactedCopyKeepsTypesAndFramesButNotSecrets() {
        Exception original = new IllegalStateException(
                "login to postgres://app:hunter2@db failed", new java.sql.SQLException("password=hunter2 rejected"));
        Throwable copy = Secrets.redacted(original);
        java.io.StringWriter trace = new java.io.StringWriter();
        copy.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString())
                .doesNotContain("hunter2")
                .contains("java.lang.IllegalStateException")
                .contains("java.sql.SQLException")
                .contains("SecretsTest");
        assertThat(copy.getStackTrace()).isEqualTo(original.getStackTrace());
    }
}
