package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe over {@code rediss://} against a real redis-server serving TLS with a certificate made by the JDK's
 * keytool for {@code localhost} only.
 */
class RespProbeOverTlsTest {
    private static final String PASSWORD = "tls-S3cret";

    @TempDir
    static Path dir;

    private static EmbeddedRedis redis;
    private static SSLContext trusting;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        Path store = dir.resolve("redis.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "redis",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("redis");
        PrivateKey key = (PrivateKey) ks.getKey("redis", "changeit".toCharArray());
        Path certPem = pem(dir.resolve("cert.pem"), "CERTIFICATE", cert.getEncoded());
        Path keyPem = pem(dir.resolve("key.pem"), "PRIVATE KEY", key.getEncoded());

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("redis", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        redis = EmbeddedRedis.builder()
                .tls(certPem, keyPem)
                .requirePass(PASSWORD)
                .start();
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    @AfterAll
    static void stopTlsRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aTrustedCertificateNamingTheHostIsUpOverTls() {
        CheckResult r = RedisProbeCheck.builder("rediss://:" + PASSWORD + "@localhost:" + redis.port())
                .sslContext(trusting)
                .build()
                .check();
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("tls", true).containsEntry("role", "master");
    }

    @Test
    void anUntrustedCertificateIsDownNamingTls() {
        CheckResult r = RedisProbeCheck.builder("rediss://localhost:" + redis.port())
                .password(PASSWORD)
                .build()
                .check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .startsWith("TLS with localhost:" + redis.port() + " failed: SSLHandshakeException")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aCertificateNotNamingTheAddressIsDownUnlessHostnameVerificationIsOff() {
        String uri = "rediss://127.0.0.1:" + redis.port();
        CheckResult verified = RedisProbeCheck.builder(uri)
                .password(PASSWORD)
                .sslContext(trusting)
                .build()
                .check();
        assertThat(verified.status()).isEqualTo(Status.DOWN);
        assertThat(verified.message()).startsWith("TLS with 127.0.0.1:" + redis.port() + " failed");

        CheckResult unverified = RedisProbeCheck.builder(uri)
                .password(PASSWORD)
                .sslContext(trusting)
                .verifyHostname(false)
                .build()
                .check();
        assertThat(unverified.status()).isEqualTo(Status.UP);
    }

    @Test
    void aBlackHoledTlsServerIsDownWhenTheHandshakeRunsOutOfTime() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy(redis.host(), redis.port())) {
            proxy.blackHole();
            RedisProbeCheck check = RedisProbeCheck.builder("rediss://127.0.0.1:" + proxy.port())
                    .sslContext(trusting)
                    .timeout(Duration.ofSeconds(2))
                    .build(); // connect budget ample on a busy CI
            CompletableFuture<CheckResult> result = Background.supply(check::check);
            await().atMost(Duration.ofSeconds(10)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().message())
                    .isEqualTo("no answer to the TLS handshake from 127.0.0.1:" + proxy.port() + " within 2000 ms");
        }
    }

    @Test
    void plainRespToATlsPortIsDownNotHung() {
        for (String uri :
                List.of("redis://localhost:" + redis.port(), "redis://:" + PASSWORD + "@localhost:" + redis.port())) {
            CheckResult r = RedisProbeCheck.of(uri).check();
            assertThat(r.status()).as(uri).isEqualTo(Status.DOWN);
            assertThat(r.message()).as(uri).doesNotContain(PASSWORD);
        }
    }
}
