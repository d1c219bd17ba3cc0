package io.vigil.health.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Real certificates made for the tests by the {@code keytool} of the JDK running them (no extra dependency):
 * self-signed ones with chosen validity and names, and a leaf signed by a test CA that expires first. Shared by the
 * modules whose checks speak TLS (HTTP, TLS certificates, SMTP).
 */
public final class TestCertificates {
    /** The password of every key store made here. */
    public static final char[] PASSWORD = "changeit".toCharArray();

    private static final String NAMES = "SAN=dns:localhost,ip:127.0.0.1";

    private static @Nullable TestCertificates shared;

    private final Path dir;

    /** @return certificates generated once per test JVM under {@code target/} */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                Path base = Files.createDirectories(Path.of("target"));
                shared = generate(Files.createTempDirectory(base, "test-certificates"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates: {@code valid} (365 days), {@code expiring} (7 days), {@code expired} (ended 20 days ago),
     * {@code future} (starts in 10 days), {@code wronghost} (names wrong.example only), and {@code leaf} (365
     * days, signed by {@code ca}, whose own certificate lasts 10 days).
     */
    public static TestCertificates generate(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        CompletableFuture.allOf(
                        c.async(() -> c.selfSigned("valid", "CN=localhost", NAMES, null, 365)),
                        c.async(() -> c.selfSigned("expiring", "CN=localhost", NAMES, null, 7)),
                        c.async(() -> c.selfSigned("expired", "CN=localhost", NAMES, "-30d", 10)),
                        c.async(() -> c.selfSigned("future", "CN=localhost", NAMES, "+10d", 30)),
                        c.async(() ->
                                c.selfSigned("wronghost", "CN=wrong.example", "SAN=dns:wrong.example", null, 365)),
                        c.async(c::chain))
                .join();
        return c;
    }

    private CompletableFuture<Void> async(Runnable r) {
        return Background.run(r);
    }

    private void selfSigned(String name, String dname, String san, @Nullable String start, int days) {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-ext",
                san,
                "-validity",
                Integer.toString(days)));
        if (start != null) {
            args.add("-startdate");
            args.add(start);
        }
        keytool(name, args);
    }

    private void chain() {
        CompletableFuture.allOf(
                        async(() -> keytool(
                                "ca",
                                List.of(
                                        "-genkeypair",
                                        "-alias",
                                        "ca",
                                        "-keyalg",
                                        "EC",
                                        "-groupname",
                                        "secp256r1",
                                        "-dname",
                                        "CN=Vigil Test CA",
                                        "-ext",
                                        "bc:c",
                                        "-validity",
                                        "10"))),
                        async(() -> keytool(
                                "leaf",
                                List.of(
                                        "-genkeypair",
                                        "-alias",
                                        "leaf",
                                        "-keyalg",
                                        "EC",
                                        "-groupname",
                                        "secp256r1",
                                        "-dname",
                                        "CN=localhost",
                                        "-validity",
                                        "365"))))
                .join();
        keytool("ca", List.of("-exportcert", "-alias", "ca", "-rfc", "-file", file("ca.pem")));
        keytool("leaf", List.of("-certreq", "-alias", "leaf", "-file", file("leaf.csr")));
        keytool(
                "ca",
                List.of(
                        "-gencert",
                        "-alias",
                        "ca",
                        "-infile",
                        file("leaf.csr"),
                        "-outfile",
                        file("leaf.pem"),
                        "-rfc",
                        "-ext",
                        NAMES,
                        "-validity",
                        "365"));
        try {
            Files.writeString(
                    dir.resolve("leaf-chain.pem"),
                    Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool("leaf", List.of("-importcert", "-alias", "leaf", "-file", file("leaf-chain.pem"), "-noprompt"));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String store, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(args);
        cmd.addAll(List.of(
                "-keystore",
                file(store + ".p12"),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args.get(0) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the key store holding the key and certificate chain named {@code name} */
    public KeyStore keyStore(String name) {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a trust store holding only the certificate of {@code name} */
    public KeyStore trusting(String name) {
        try {
            Certificate cert = keyStore(name).getCertificate(name);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry(name, cert);
            return ts;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a server-side TLS context presenting {@code name} */
    public SSLContext serverContext(String name) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(name), PASSWORD);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a client-side TLS context trusting only the certificate of {@code name} */
    public SSLContext clientContextTrusting(String name) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusting(name));
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
