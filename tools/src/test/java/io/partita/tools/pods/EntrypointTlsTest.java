package io.partita.tools.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.config.ConfigLoader;
import io.partita.server.config.NodeConfig;
import io.partita.tools.tls.CertificateAuthority;
import io.partita.tools.tls.IssuedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container entrypoint's TLS set-up ({@code PARTITA_TLS_CA_DIR}, as {@code components/secure} sets it), without
 * running a node: {@code bin/partita} is a stand-in that runs the real CLI for everything but {@code server}, which it
 * answers by printing the config it was given. What a whole secure cluster of pods does is
 * {@link StatefulSetProcessTest} (faults-long profile).
 */
class EntrypointTlsTest {
    private static final String FQDN = "partita-1.partita-peers.default.svc.cluster.local";
    private static final String STARTED = "STAND-IN server";
    private static final String END = "END OF CONFIG";

    @TempDir
    Path dir;

    private final Path repo = Path.of("..").toAbsolutePath().normalize();
    private Path caDir;
    private Path home;

    @BeforeEach
    void caAndStandIn() throws IOException {
        caDir = dir.resolve("ca");
        CertificateAuthority.create("partita-ca", Duration.ofDays(30))
                .writeTo(caDir.resolve("ca.crt"), caDir.resolve("ca.key"));
        home = dir.resolve("home");
        Files.createDirectories(home.resolve("bin"));
        Path cli = home.resolve("bin/partita");
        Files.writeString(cli, "#!/usr/bin/env bash\n"
                + "if [ \"$1\" = server ]; then echo '" + STARTED + "'; cat \"$3\"; echo '" + END + "'; exec sleep 600; fi\n"
                + "exec bash '" + repo.resolve("bin/partita") + "' \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void issuesThePodsNodeCertificateAndTurnsOnTlsAndUsers() throws Exception {
        Map<String, String> env = env("127.0.0.5");
        String out = startNode(env);
        Path tls = volume().resolve("tls");
        NodeConfig config = ConfigLoader.load(volume().resolve("node.yaml"));
        assertEquals(new NodeConfig.Tls(true, tls.resolve("partita-1.crt"), tls.resolve("partita-1.key"),
                caDir.resolve("ca.crt"), true), config.tls(), "tls: as written, client-auth by default");
        assertTrue(config.security().enabled(), "users and roles on");
        assertTrue(out.contains("initial-admin-password"), "says where the admin's password is: " + out);
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(tls.resolve("partita-1.key")));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(tls));

        IssuedCertificate first = IssuedCertificate.load(tls.resolve("partita-1.crt"), tls.resolve("partita-1.key"));
        assertEquals("partita-1", first.commonName(), "CN = node id = pod name");
        assertTrue(first.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server auth");
        first.certificate().verify(CertificateAuthority.load(caDir.resolve("ca.crt"), caDir.resolve("ca.key"))
                .certificate().getPublicKey());
        assertTrue(names(first.certificate()).containsAll(List.of(FQDN, "partita-1.partita-peers.default.svc",
                "partita", "partita.default", "partita.default.svc", "partita.default.svc.cluster.local", "localhost",
                "127.0.0.1", "127.0.0.5")), "the pod's and the client Service's names, and where the hooks dial: "
                + names(first.certificate()));

        // Started again at another address: a new certificate, for the new address.
        env.put("PARTITA_LISTEN_ADDRESS", "127.0.0.6");
        startNode(env);
        IssuedCertificate second = IssuedCertificate.load(tls.resolve("partita-1.crt"), tls.resolve("partita-1.key"));
        assertNotEquals(first.certificate().getSerialNumber(), second.certificate().getSerialNumber());
        assertTrue(names(second.certificate()).contains("127.0.0.6"));
        assertFalse(names(second.certificate()).contains("127.0.0.5"));
        assertFalse(Files.exists(tls.resolve("new")), "no half-issued files left");
    }

    @Test
    void refusesWhatItCannotSetUp() throws Exception {
        Path withTls = dir.resolve("with-tls.yaml");
        Files.writeString(withTls, "cluster-name: partita\ntls:\n  enabled: false\n");
        Path withSecurity = dir.resolve("with-security.yaml");
        Files.writeString(withSecurity, "cluster-name: partita\nsecurity:\n  enabled: false\n");

        Map<String, String> env = env("127.0.0.5");
        env.put("PARTITA_CONF_TEMPLATE", withTls.toString());
        assertRefused(env, "sets tls: or security:");
        env.put("PARTITA_CONF_TEMPLATE", withSecurity.toString());
        assertRefused(env, "sets tls: or security:");

        env = env("127.0.0.5");
        env.put("PARTITA_TLS_CLIENT_AUTH", "yes");
        assertRefused(env, "PARTITA_TLS_CLIENT_AUTH must be true or false");

        Files.delete(caDir.resolve("ca.key"));
        assertRefused(env("127.0.0.5"), "ca.key: PARTITA_TLS_CA_DIR must hold the cluster's CA");
        assertFalse(Files.exists(volume().resolve("tls")), "nothing issued");

        // Without PARTITA_TLS_CA_DIR the template's own tls: (certificates brought otherwise) is left alone.
        env = env("127.0.0.5");
        env.remove("PARTITA_TLS_CA_DIR");
        env.put("PARTITA_CONF_TEMPLATE", withTls.toString());
        assertTrue(startNode(env).contains("tls:\n  enabled: false\n"));
    }

    private Path volume() {
        return dir.resolve("volume");
    }

    /** What the StatefulSet with components/secure gives pod partita-1, listening on {@code address}. */
    private Map<String, String> env(String address) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POD_NAME", "partita-1");
        env.put("POD_NAMESPACE", "default");
        env.put("PARTITA_SERVICE", "partita-peers");
        env.put("PARTITA_STATEFULSET", "partita");
        env.put("PARTITA_CLUSTER_DOMAIN", "cluster.local");
        env.put("PARTITA_INITIAL_NODES", "3");
        env.put("PARTITA_CONF_TEMPLATE", repo.resolve("deploy/kubernetes/base/node.yaml").toString());
        env.put("PARTITA_DATA_DIR", volume().toString());
        env.put("PARTITA_LISTEN_ADDRESS", address);
        env.put("PARTITA_TLS_CA_DIR", caDir.toString());
        env.put("PARTITA_HOME", home.toString());
        env.put("PARTITA_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    /** Runs the entrypoint until it starts the node (the stand-in); returns its output, then stops what it started. */
    private String startNode(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder("bash", repo.resolve("deploy/container/entrypoint.sh").toString())
                .redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals(END)) {
                out.append(line).append('\n');
            }
        } finally {
            // The entrypoint's background loops are the stand-in's children: a container's end would take them along.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(out.indexOf(STARTED) >= 0, "the entrypoint did not start the node:\n" + out);
        return out.toString();
    }

    private void assertRefused(Map<String, String> env, String message) throws IOException, InterruptedException {
        Path log = dir.resolve("refused.log");
        ProcessBuilder b = new ProcessBuilder("bash", repo.resolve("deploy/container/entrypoint.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        // Not refused: the node (stand-in) and the entrypoint's background loops run on; stop them.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        String out = Files.readString(log);
        assertTrue(exited, "still running after 30 s, not refused:\n" + out);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains(message) && !out.contains(STARTED), out);
    }

    private static Set<String> names(X509Certificate cert) throws Exception {
        Set<String> names = new TreeSet<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            names.add(san.get(1).toString());
        }
        return names;
    }
}
