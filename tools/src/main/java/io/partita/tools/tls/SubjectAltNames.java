package io.partita.tools.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * The hosts a node certificate names: IP literals become iPAddress entries, anything else a dNSName. Hosts are
 * compared in a canonical form ({@code ip:ADDRESS}, {@code dns:lowercase-name}), so {@code ::1} and
 * {@code 0:0:0:0:0:0:0:1} are the same entry.
 */
final class SubjectAltNames {

    /** RFC 1123 labels, optionally a leading {@code *.} wildcard label. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    private SubjectAltNames() {
    }

    /** The hosts, trimmed, without brackets around IPv6 literals, without duplicates, in the order given. */
    static List<String> normalize(Collection<String> hosts) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> result = new ArrayList<>();
        for (String raw : hosts) {
            String host = raw == null ? "" : raw.trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                continue;
            }
            if (seen.add(canonical(host))) {
                result.add(host);
            }
        }
        return result;
    }

    /**
     * The SAN extension value for {@code hosts} (already {@link #normalize normalized}).
     *
     * @throws IllegalArgumentException for a host that is neither an IP literal nor a DNS name (e.g. with a port)
     */
    static GeneralNames of(List<String> hosts) {
        GeneralName[] names = new GeneralName[hosts.size()];
        for (int i = 0; i < names.length; i++) {
            String host = hosts.get(i);
            names[i] = isIp(host) ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host);
        }
        return new GeneralNames(names);
    }

    /** The canonical entries of {@code hosts}, as {@link #of(X509Certificate)} returns them. */
    static Set<String> canonical(Collection<String> hosts) {
        Set<String> result = new LinkedHashSet<>();
        for (String host : normalize(hosts)) {
            result.add(canonical(host));
        }
        return result;
    }

    /** The canonical iPAddress and dNSName entries of a certificate; empty when it has none. */
    static Set<String> of(X509Certificate cert) throws CertificateParsingException {
        Set<String> result = new LinkedHashSet<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return result;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            if (type == GeneralName.iPAddress || type == GeneralName.dNSName) {
                result.add(canonical((String) san.get(1)));
            }
        }
        return result;
    }

    /** The iPAddress and dNSName entries as openssl prints them: {@code IP:10.0.0.5}, {@code DNS:node1.example}. */
    static List<String> describe(X509Certificate cert) throws CertificateParsingException {
        List<String> result = new ArrayList<>();
        for (String san : of(cert)) {
            result.add(san.startsWith("ip:") ? "IP:" + san.substring(3) : "DNS:" + san.substring(4));
        }
        return result;
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (no DNS lookup). */
    static boolean isIp(String host) {
        return IPAddress.isValid(host);
    }

    private static String canonical(String host) {
        if (isIp(host)) {
            try {
                // A literal: getByName parses it, no lookup happens.
                return "ip:" + InetAddress.getByName(host).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IP address", e);
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(name).matches() || name.length() > 253) {
            throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a DNS name; give host "
                    + "names or addresses without ports, e.g. 10.0.0.5,node1.example.com");
        }
        return "dns:" + name;
    }
}
