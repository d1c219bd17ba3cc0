package io.vigil.health.license.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.LicenseValidity;
import io.vigil.health.license.SignedLicenseFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseToolTest {
    @TempDir
    Path dir;

    @Test
    void keygenWritesThePrivateKeyReadableByItsOwnerOnly() throws Exception {
        Path key = dir.resolve("issuer.key");
        Path pub = dir.resolve("issuer.pub");

        LicenseTool.main(new String[] {"keygen", key.toString(), pub.toString()});

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileAttributeView(key, PosixFileAttributeView.class) != null) {
            assertThat(Files.getPosixFilePermissions(key))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(pub)).contains(PosixFilePermission.OTHERS_READ);
        }
    }

    @Test
    void keygenRefusesToOverwriteAnExistingKeyAndSaysSo() throws Exception {
        Path key = dir.resolve("issuer.key");
        Files.writeString(key, "the key in use");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int status = LicenseTool.run(
                new String[] {
                    "keygen", key.toString(), dir.resolve("issuer.pub").toString()
                },
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(key.toString())
                .contains("exists");
        assertThat(Files.readString(key)).isEqualTo("the key in use");
        assertThat(dir.resolve("issuer.pub")).doesNotExist();
    }

    @Test
    void aLicenseIssuedWithTheGeneratedKeysIsValid() throws Exception {
        Path key = dir.resolve("issuer.key");
        Path pub = dir.resolve("issuer.pub");
        LicenseTool.main(new String[] {"keygen", key.toString(), pub.toString()});
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        int status = LicenseTool.run(
                new String[] {"issue", key.toString(), "Acme Hospital", "2999-12-31", "fhir"},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        Path license = Files.writeString(dir.resolve("license.txt"), out.toString(StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(new SignedLicenseFile(license, SignedLicenseFile.publicKey(Files.readString(pub)))
                        .check()
                        .validity())
                .isEqualTo(LicenseValidity.VALID);
    }

    @Test
    void wrongArgumentsPrintTheUsageAndExitWithTwo() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int status = LicenseTool.run(
                new String[] {"keygen"}, System.out, new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -jar health-license-tool-");
    }
}
