package io.vigil.health.license.tool;

import io.vigil.health.license.LicenseFile;
import io.vigil.health.license.SignedLicenseFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issues license files for {@link SignedLicenseFile}. the runnable jar of {@code health-license-tool}
 * runs it; services never need it:
 *
 * <pre>
 * java -jar health-license-tool-0.1.0-SNAPSHOT.jar keygen issuer.key issuer.pub
 * java -jar health-license-tool-0.1.0-SNAPSHOT.jar issue issuer.key "Acme Hospital" 2027-12-31 fhir,bulk &gt; license.txt
 * </pre>
 *
 * Keys are PEM (PKCS#8 private, X.509 public), interchangeable with {@code openssl genpkey -algorithm ed25519}.
 * {@code keygen} never overwrites a file and writes the private key readable by its owner only (mode 0600 where
 * the file system has POSIX permissions). Keep the private key out of the service; ship only the public key.
 */
public final class LicenseTool {
    private static final String USAGE =
            "usage: java -jar health-license-tool-<version>.jar keygen <private.pem> <public.pem>\n"
                    + "       java -jar health-license-tool-<version>.jar issue <private.pem> <licensee> <expires: 2027-12-31 or"
                    + " instant> [feature,feature]";

    private LicenseTool() {}

    /**
     * Runs the tool and exits with its status when that is not 0 (1: a file error, 2: wrong arguments).
     *
     * @param args {@code keygen <private.pem> <public.pem>} or
     *             {@code issue <private.pem> <licensee> <expires> [features]}
     * @throws Exception on key errors
     */
    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command line without {@code System.exit}: returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws GeneralSecurityException {
        try {
            if (args.length == 3 && args[0].equals("keygen")) {
                Path privateFile = Path.of(args[1]);
                Path publicFile = Path.of(args[2]);
                for (Path p : List.of(privateFile, publicFile)) {
                    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        err.println("keygen: " + p + " already exists; not overwritten (move it away first)");
                        return 1;
                    }
                }
                KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                writeOwnerOnly(privateFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
                Files.writeString(
                        publicFile,
                        pem("PUBLIC KEY", kp.getPublic().getEncoded()),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                out.println("wrote " + privateFile + " (owner-only, keep secret) and " + publicFile
                        + " (ship with the service)");
                return 0;
            }
            if ((args.length == 4 || args.length == 5) && args[0].equals("issue")) {
                PrivateKey key = privateKey(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
                List<String> features = args.length == 5 ? List.of(args[4].split(",")) : List.of();
                out.print(issue(key, args[2], args[3], features));
                return 0;
            }
        } catch (FileAlreadyExistsException e) {
            err.println("keygen: " + e.getFile() + " already exists; not overwritten (move it away first)");
            return 1;
        } catch (IOException e) {
            err.println(args[0] + ": " + e);
            return 1;
        }
        err.println(USAGE);
        return 2;
    }

    /** Creates the file with owner read/write only where POSIX permissions exist (never readable in between). */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.writeString(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /**
     * Produces the text of a signed license file.
     *
     * @param key      Ed25519 private key
     * @param licensee to whom
     * @param expires  ISO-8601 date (valid through that day, UTC) or instant
     * @param features feature names, may be empty
     * @return the file text
     * @throws GeneralSecurityException if signing fails
     * @throws IllegalArgumentException for an invalid expiry or a field containing a line break
     */
    public static String issue(PrivateKey key, String licensee, String expires, List<String> features)
            throws GeneralSecurityException {
        LicenseFile.parseExpiry(expires);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("licensee", licensee);
        fields.put("expires", expires);
        if (!features.isEmpty()) {
            fields.put("features", String.join(",", features));
        }
        fields.values().forEach(v -> {
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || !v.equals(v.strip())) {
                throw new IllegalArgumentException("license fields must be single trimmed lines");
            }
        });
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(LicenseFile.payload(fields));
        StringBuilder sb = new StringBuilder("# Vigil Health license, issued ")
                .append(Instant.now())
                .append('\n');
        fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("signature=")
                .append(Base64.getEncoder().encodeToString(s.sign()))
                .append('\n');
        return sb.toString();
    }

    /**
     * @param text PEM or Base64 PKCS#8
     * @return the Ed25519 private key
     * @throws GeneralSecurityException if it is not one
     */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder()
                .decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
