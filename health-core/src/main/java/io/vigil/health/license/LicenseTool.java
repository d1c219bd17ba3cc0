package io.vigil.health.license;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Issues license files for {@link SignedLicenseFile}. From the command line:
 *
 * <pre>
 * java -cp health-core.jar io.vigil.health.license.LicenseTool keygen issuer.key issuer.pub
 * java -cp health-core.jar io.vigil.health.license.LicenseTool issue issuer.key "Acme Hospital" 2027-12-31 fhir,bulk &gt; license.txt
 * </pre>
 *
 * Keys are PEM (PKCS#8 private, X.509 public), interchangeable with {@code openssl genpkey -algorithm ed25519}.
 * Keep the private key out of the service; ship only the public key.
 */
public final class LicenseTool {
    private LicenseTool() {
    }

    /**
     * @param args {@code keygen <private.pem> <public.pem>} or
     *             {@code issue <private.pem> <licensee> <expires> [features]}
     * @throws Exception on I/O or key errors
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 3 && args[0].equals("keygen")) {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.writeString(Path.of(args[1]), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            Files.writeString(Path.of(args[2]), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            out.println("wrote " + args[1] + " (keep secret) and " + args[2] + " (ship with the service)");
        } else if ((args.length == 4 || args.length == 5) && args[0].equals("issue")) {
            PrivateKey key = privateKey(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
            List<String> features = args.length == 5 ? List.of(args[4].split(",")) : List.of();
            out.print(issue(key, args[2], args[3], features));
        } else {
            System.err.println("usage: LicenseTool keygen <private.pem> <public.pem>");
            System.err.println("       LicenseTool issue <private.pem> <licensee> <expires: 2027-12-31 or instant>"
                    + " [feature,feature]");
            System.exit(2);
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
        StringBuilder sb = new StringBuilder("# Vigil Health license, issued ").append(Instant.now()).append('\n');
        fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("signature=").append(Base64.getEncoder().encodeToString(s.sign())).append('\n');
        return sb.toString();
    }

    /**
     * @param text PEM or Base64 PKCS#8
     * @return the Ed25519 private key
     * @throws GeneralSecurityException if it is not one
     */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

}
