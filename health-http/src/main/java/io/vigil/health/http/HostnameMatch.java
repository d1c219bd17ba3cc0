package io.vigil.health.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;

/**
 * Does a server certificate name a host? DNS names match the subject alternative names case-insensitively,
 * with a wildcard allowed as the whole left-most label ({@code *.example.com} matches {@code a.example.com},
 * not {@code example.com} nor {@code a.b.example.com}); IP literals match IP address entries; the subject's
 * common name counts only when the certificate has no DNS or IP alternative names at all (legacy).
 */
final class HostnameMatch {
    private static final int DNS = 2;
    private static final int IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HostnameMatch() {}

    static boolean matches(X509Certificate cert, String host) throws CertificateParsingException {
        String h = normalize(host);
        boolean ip = isIpLiteral(h);
        boolean anyNames = false;
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type != DNS && type != IP) {
                    continue;
                }
                anyNames = true;
                String name = (String) san.get(1);
                if (ip ? type == IP && sameAddress(name, h) : type == DNS && dnsMatches(normalize(name), h)) {
                    return true;
                }
            }
        }
        if (anyNames) {
            return false;
        }
        String cn = commonName(cert);
        return cn != null && (ip ? sameAddress(cn, h) : dnsMatches(normalize(cn), h));
    }

    /** @return the DNS and IP names the certificate is for, for messages */
    static List<String> names(X509Certificate cert) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == DNS || type == IP) {
                    names.add((String) san.get(1));
                }
            }
        }
        if (names.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) {
                names.add(cn);
            }
        }
        return names;
    }

    static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".example.com"
            int firstDot = host.indexOf('.');
            return suffix.indexOf('.', 1) > 0
                    && firstDot > 0
                    && host.substring(firstDot).equals(suffix);
        }
        return pattern.equals(host);
    }

    private static boolean sameAddress(String a, String b) {
        if (!isIpLiteral(a) || !isIpLiteral(b)) {
            return false;
        }
        try {
            // both are literals: no DNS lookup happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isIpLiteral(String s) {
        return s.indexOf(':') >= 0 || IPV4.matcher(s).matches();
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static @Nullable String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return rdns.get(i).getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
