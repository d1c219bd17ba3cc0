package io.vigil.health.license.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.LicenseValidity;
import io.vigil.health.license.SignedLicenseFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged health-license-tool jar with {@code java -jar}, as README.md tells a user to. */
class LicenseToolJarIT {
    private static final Path JAR =
            Path.of(System.getProperty("health.license.tool.jar", "target/health-license-tool.jar"));
    private static final String VERSION = System.getProperty("health.license.tool.version", "");
    private static final Path README = Path.of(System.getProperty("vigil.root", ".."), "README.md");

    @TempDir
    Path dir;

    @Test
    void theJarRunsKeygenAndIssueAndTheLicenseIsValid() throws Exception {
        Result keygen = java("keygen", "issuer.key", "issuer.pub");
        assertThat(keygen.status()).as(keygen.output()).isZero();
        if (Files.getFileAttributeView(dir.resolve("issuer.key"), PosixFileAttributeView.class) != null) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("issuer.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }

        Result issue = java("issue", "issuer.key", "Acme Hospital", "2999-12-31", "fhir,bulk");
        assertThat(issue.status()).as(issue.output()).isZero();
        Path license = Files.writeString(dir.resolve("license.txt"), issue.output());

        String publicKey = Files.readString(dir.resolve("issuer.pub"));
        assertThat(new SignedLicenseFile(license, SignedLicenseFile.publicKey(publicKey))
                        .check()
                        .validity())
                .isEqualTo(LicenseValidity.VALID);
    }

    @Test
    void theReadmeShowsTheseExactCommands() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String jar = "health-license-tool-" + VERSION + ".jar";

        assertThat(readme)
                .contains("java -jar health-license-tool/target/" + jar + " keygen issuer.key issuer.pub")
                .contains("java -jar ~/.m2/repository/io/vigil/health-license-tool/" + VERSION + "/" + jar
                        + " keygen issuer.key issuer.pub")
                .contains(" issue issuer.key \"Acme Hospital\" 2027-12-31 fhir,bulk > license.txt");
    }

    private record Result(int status, String output) {}

    private Result java(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(List.of(java, "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(err.toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("java -jar finished").isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8) + Files.readString(err));
    }
}
