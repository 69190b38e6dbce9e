package io.partita.tools.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.tools.cli.AdminClient;
import io.partita.tools.tls.CertificateAuthority;
import io.partita.tools.tls.IssuedCertificate;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods of the StatefulSet in {@code deploy/kubernetes/}, as processes: each is started by the container's entrypoint
 * ({@code deploy/container/entrypoint.sh}) with exactly the environment the StatefulSet gives it, the ConfigMap's
 * {@code node.yaml} as template, and its own volume directory; its DNS name under the headless Service resolves to a
 * loopback address of its own through a hosts file every JVM is given ({@code -Djdk.net.hosts.file}). A pod is
 * stopped as the kubelet stops it: the preStop hook ({@code prestop.sh}), then SIGTERM. The Kubernetes API the
 * scripts ask (the StatefulSet's replica count, the machines' zones) is a local HTTP server answering as the API
 * server does.
 *
 * <p>Shows: the first three pods form one cluster from names alone (pod 0 creates it once); scaling 3 → 4 → 3 keeps
 * every record and every group's replication factor (the added pod joins and receives replicas, the removed one is
 * drained by its preStop hook before it stops and marks its volume); a scale-down below the replication factor is
 * refused; a pod started again on a drained volume joins afresh; a pod restarted with a new IP and the same volume
 * rejoins and serves.
 *
 * <p>The same run with TLS and users on, as {@code deploy/kubernetes/components/secure} sets them up (the CA in
 * {@code PARTITA_TLS_CA_DIR}): each entrypoint issues its pod's node certificate, pod 0 creates the cluster over TLS
 * with it, the probes answer HTTPS without a client certificate, a client needs a certificate and the admin password
 * one node wrote, and the preStop hooks drain and hand off with the pod's node certificate. It takes as long as the
 * plain run (minutes), so it runs in the {@code faults-long} profile only.
 */
class StatefulSetProcessTest {
    private static final String NAMESPACE = "default";
    private static final String SERVICE = "partita-peers";
    private static final int MAX_PODS = 4;
    private static final Duration READY = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private final Path repo = Path.of("..").toAbsolutePath().normalize();
    private final Map<Integer, Pod> pods = new LinkedHashMap<>();
    private final Map<Integer, String> ips = new LinkedHashMap<>();
    private FakeKubeApi api;
    private AdminClient admin;
    /** TLS and users on: the CA the pods mount, and an application's client certificate. */
    private boolean secure;
    private Path caDir;
    private Path clientCert;
    private Path clientKey;
    private String adminPassword;
    private HttpClient probes;
    private int clientPort;
    private int raftPort;
    private int adminPort;

    @AfterEach
    void stopEverything() {
        for (Pod p : pods.values()) {
            p.kill();
        }
        if (admin != null) {
            admin.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void podsFormAClusterByNameScaleUpAndDownSafelyAndRejoinAtANewAddress() throws Exception {
        run(false);
    }

    @Test
    @EnabledIfSystemProperty(named = "partita.faults.long", matches = "true")
    void securePodsDoTheSameWithTlsAndUsers() throws Exception {
        run(true);
    }

    private void run(boolean withSecurity) throws Exception {
        secure = withSecurity;
        clientPort = TestPorts.free();
        raftPort = TestPorts.free();
        adminPort = TestPorts.free();
        api = new FakeKubeApi(NAMESPACE, "partita");
        probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        if (secure) {
            // The Secret partita-ca, as `partita tls ca` makes it; and what an application is given.
            caDir = dir.resolve("ca");
            CertificateAuthority ca = CertificateAuthority.create("partita-ca", Duration.ofDays(30));
            ca.writeTo(caDir.resolve("ca.crt"), caDir.resolve("ca.key"));
            clientCert = dir.resolve("app.crt");
            clientKey = dir.resolve("app.key");
            ca.issueClient("app", Duration.ofDays(30)).writeTo(clientCert, clientKey);
            TlsSettings trust = TlsSettings.trusting(caDir.resolve("ca.crt"));
            admin = new AdminClient(ChannelFactory.of(trust.withIdentity(clientCert, clientKey)));
            // The kubelet's probes present no certificate.
            probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                    .sslContext(TlsMaterial.load(trust).clientContext()).build();
        } else {
            admin = new AdminClient();
        }
        for (int i = 0; i < MAX_PODS; i++) {
            ips.put(i, "127.0.0." + (11 + i));
            api.label("worker-" + i, "topology.kubernetes.io/zone", "zone-" + (char) ('a' + i % 3));
        }
        writeHostsFile();

        // The set is created with 3 replicas: all three start at once (podManagementPolicy: Parallel).
        api.replicas(3);
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        for (int i = 0; i < 3; i++) {
            pods.get(i).awaitReady(READY);
        }
        ClusterPlan plan = plan(0);
        assertEquals(Set.of("partita-0", "partita-1", "partita-2"), nodeIds(plan));
        for (int i = 1; i < 3; i++) {
            assertEquals(plan.getClusterId(), plan(i).getClusterId(), "one cluster");
        }
        for (PlanNode n : plan.getNodesList()) {
            assertEquals(dnsName(Integer.parseInt(n.getNodeId().substring(8))) + ":" + clientPort,
                    n.getClientAddress(), "nodes are known by their pod DNS names");
            assertFalse(n.getRack().isEmpty(), "the rack comes from the machine's zone label: " + n);
        }
        assertReplicationFactor(plan, 3);
        if (secure) {
            checkSecurity();
        }
        client("write", "a", 0, 300);

        // Scale up: partita-3 starts, asks a seed to add it, and the cluster moves replicas onto it.
        api.replicas(4);
        start(3);
        pods.get(3).awaitReady(READY);
        plan = awaitPlan(0, p -> nodeIds(p).contains("partita-3") && settled(p) && holds(p, "partita-3"),
                "partita-3 joined and holds replicas");
        assertReplicationFactor(plan, 3);
        client("verify", "a", 0, 300);
        client("write", "b", 0, 200);

        // Scale down: the StatefulSet wants 3 again and stops partita-3, whose preStop hook drains it first.
        api.replicas(3);
        Pod leaving = pods.get(3);
        Hook hook = leaving.preStop();
        assertEquals(0, hook.exitCode(), "the drain succeeded: " + hook);
        assertTrue(hook.output().contains("drained"), hook.toString());
        assertTrue(Files.exists(leaving.volume().resolve("DRAINED")), "the volume is marked drained");
        assertEquals(0, leaving.terminate(), "partita-3 stops cleanly");
        pods.remove(3);
        plan = awaitPlan(0, p -> !nodeIds(p).contains("partita-3") && settled(p), "partita-3 left the plan");
        assertReplicationFactor(plan, 3);
        client("verify", "a", 0, 300);
        client("verify", "b", 0, 200);

        // A scale-down below the replication factor: the cluster refuses the drain, the hook says so and fails (a
        // FailedPreStopHook event on a real cluster), and the volume is not marked: its replicas are still needed.
        api.replicas(2);
        Hook refused = pods.get(2).preStop();
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.output().contains("scale-down refused") && refused.output().contains("add a node first"),
                refused.toString());
        assertFalse(Files.exists(pods.get(2).volume().resolve("DRAINED")));
        api.replicas(3);

        // Scaled up again: pod 3 starts on the volume its drained predecessor kept, afresh, as a new member.
        api.replicas(4);
        start(3);
        pods.get(3).awaitReady(READY);
        assertTrue(pods.get(3).describe().contains("starting afresh"), pods.get(3).describe());
        plan = awaitPlan(0, p -> nodeIds(p).contains("partita-3") && settled(p) && holds(p, "partita-3"),
                "partita-3 joined again and holds replicas");
        assertReplicationFactor(plan, 3);

        // A pod restarted elsewhere: same name and volume, new IP. Its preStop hook only hands leadership off.
        Pod moving = pods.get(1);
        Hook handOff = moving.preStop();
        assertEquals(0, handOff.exitCode(), handOff.toString());
        assertTrue(handOff.output().contains("not a scale-down"), handOff.toString());
        assertEquals(0, moving.terminate());
        pods.remove(1);
        ips.put(1, "127.0.0.21");
        writeHostsFile();
        start(1);
        pods.get(1).awaitReady(READY);
        // With partita-2 gone, each group that has replicas on partita-1 and partita-2 needs partita-1 at its new
        // address for a majority (with 6 groups of 3 on 4 nodes, some do).
        assertTrue(plan(0).getGroupsList().stream().anyMatch(g -> g.getReplicaNodeIdsList().containsAll(
                List.of("partita-1", "partita-2"))));
        Pod stopped = pods.remove(2);
        stopped.preStop();
        assertEquals(0, stopped.terminate());
        client("verify", "a", 0, 300);
        client("verify", "b", 0, 200);
        client("write", "c", 0, 100);
        client("verify", "c", 0, 100);
    }

    /**
     * Each pod's node certificate (CN = the pod's name, key owner-only), the admin's first password on one node, and
     * a client with a certificate but no user refused.
     */
    private void checkSecurity() throws Exception {
        for (int i = 0; i < 3; i++) {
            Path tls = pods.get(i).volume().resolve("tls");
            assertEquals("partita-" + i, IssuedCertificate.load(tls.resolve("partita-" + i + ".crt"),
                    tls.resolve("partita-" + i + ".key")).commonName());
            assertEquals(PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(tls.resolve("partita-" + i + ".key")));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Path> files;
        do {
            files = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path f = pods.get(i).volume().resolve("node/initial-admin-password");
                if (Files.exists(f)) {
                    files.add(f);
                }
            }
            Thread.sleep(200);
        } while (files.size() != 1 && System.nanoTime() < deadline);
        assertEquals(1, files.size(), "one node holds the admin's first password: " + files);
        assertTrue(pods.get(0).describe().contains("initial-admin-password"), "the entrypoint says where it is");
        adminPassword = Files.readString(files.get(0)).strip();
        // An operator's command in a pod, as docs/deployment.md shows it: with the pod's node certificate.
        Hook status = pods.get(0).exec("bash", "-c", ". '" + repo.resolve("deploy/container/pod-env.sh")
                + "' && \"$partita\" status --hosts \"$local_host:$PARTITA_CLIENT_PORT\"");
        assertEquals(0, status.exitCode(), status.toString());
        String refused = runClient(false, "write", "nobody", 0, 1);
        assertTrue(refused.startsWith("exit 1") && refused.contains("needs a user"), refused);
    }

    // ---- The cluster's view -----------------------------------------------------------------------------------

    private ClusterPlan plan(int pod) {
        NodeDescription d = admin.describe(ips.get(pod) + ":" + clientPort, Duration.ofSeconds(10));
        assertTrue(d.hasPlan(), "partita-" + pod + " has a plan");
        return d.getPlan();
    }

    private ClusterPlan awaitPlan(int pod, java.util.function.Predicate<ClusterPlan> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        ClusterPlan plan = null;
        while (System.nanoTime() < deadline) {
            try {
                plan = plan(pod);
                if (condition.test(plan)) {
                    return plan;
                }
            } catch (RuntimeException e) {
                // a node between leaders: ask again
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within 180 s: " + what + "; last plan: " + plan + "\n" + logs());
    }

    private static Set<String> nodeIds(ClusterPlan plan) {
        return plan.getNodesList().stream().map(PlanNode::getNodeId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean settled(ClusterPlan plan) {
        return !plan.hasMetaMove() && plan.getGroupsList().stream().noneMatch(PlanGroup::hasMove)
                && plan.getNodesList().stream().allMatch(n -> n.getState() == io.partita.protocol.v1.NodeState.NODE_ACTIVE);
    }

    private static boolean holds(ClusterPlan plan, String node) {
        return plan.getGroupsList().stream().anyMatch(g -> g.getReplicaNodeIdsList().contains(node));
    }

    /** Every group has {@code rf} replicas on distinct nodes the plan lists. */
    private static void assertReplicationFactor(ClusterPlan plan, int rf) {
        Set<String> nodes = nodeIds(plan);
        for (PlanGroup g : plan.getGroupsList()) {
            assertEquals(rf, new HashSet<>(g.getReplicaNodeIdsList()).size(), "group " + g.getGroup() + ": " + g);
            assertTrue(nodes.containsAll(g.getReplicaNodeIdsList()), "group " + g.getGroup() + ": " + g);
        }
        assertEquals(rf, new HashSet<>(plan.getMetaNodeIdsList()).size(), "metadata group: " + plan);
    }

    /** Runs {@link PodClientMain} (as the admin, with TLS and users on) and asserts that every key succeeded. */
    private void client(String mode, String prefix, int from, int to) throws IOException, InterruptedException {
        String result = runClient(true, mode, prefix, from, to);
        assertTrue(result.startsWith("exit 0"), mode + " " + prefix + ": " + result + "\n" + logs());
    }

    /**
     * Runs {@link PodClientMain} in its own JVM (it resolves the pods' names through the hosts file); with TLS on, with
     * the application's certificate and, if {@code asAdmin}, the admin's user. Returns "exit N:" and its last lines.
     */
    private String runClient(boolean asAdmin, String mode, String prefix, int from, int to)
            throws IOException, InterruptedException {
        List<String> seeds = new ArrayList<>();
        for (int i : pods.keySet()) {
            seeds.add(dnsName(i) + ":" + clientPort);
        }
        Path out = dir.resolve("client-" + mode + "-" + prefix + ".log");
        ProcessBuilder b = new ProcessBuilder(javaBin(), "-Djdk.net.hosts.file=" + hostsFile(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), PodClientMain.class.getName(), mode,
                String.join(",", seeds), prefix, Integer.toString(from), Integer.toString(to))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        if (secure) {
            b.environment().put(TlsSettings.ENV_CA, caDir.resolve("ca.crt").toString());
            b.environment().put(TlsSettings.ENV_CERT, clientCert.toString());
            b.environment().put(TlsSettings.ENV_KEY, clientKey.toString());
            if (asAdmin) {
                b.environment().put("PARTITA_USER", "admin");
                b.environment().put("PARTITA_PASSWORD", adminPassword);
            }
        }
        Process p = b.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return "exit " + p.waitFor() + ":\n" + tail(Files.readString(out), 40);
    }

    // ---- Pods ---------------------------------------------------------------------------------------------------

    private void start(int ordinal) throws IOException {
        pods.put(ordinal, Pod.start(ordinal, env(ordinal), repo.resolve("deploy/container/entrypoint.sh"),
                repo.resolve("deploy/container/prestop.sh"), dir.resolve("pod-" + ordinal + ".log"),
                (secure ? "https://" : "http://") + ips.get(ordinal) + ":" + adminPort + "/ready", probes));
    }

    /** The environment the StatefulSet (deploy/kubernetes/base/statefulset.yaml) gives pod {@code ordinal}. */
    private Map<String, String> env(int ordinal) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POD_NAME", "partita-" + ordinal);
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("NODE_NAME", "worker-" + ordinal);
        env.put("PARTITA_SERVICE", SERVICE);
        env.put("PARTITA_STATEFULSET", "partita");
        env.put("PARTITA_CLUSTER_DOMAIN", "cluster.local");
        env.put("PARTITA_INITIAL_NODES", "3");
        env.put("PARTITA_CONF_TEMPLATE", repo.resolve("deploy/kubernetes/base/node.yaml").toString());
        env.put("PARTITA_DATA_DIR", dir.resolve("volume-" + ordinal).toString());
        env.put("PARTITA_CLIENT_PORT", Integer.toString(clientPort));
        env.put("PARTITA_RAFT_PORT", Integer.toString(raftPort));
        env.put("PARTITA_ADMIN_PORT", Integer.toString(adminPort));
        env.put("PARTITA_RACK_LABEL", "topology.kubernetes.io/zone");
        env.put("PARTITA_PRESTOP_TIMEOUT_SECONDS", "240");
        if (secure) {
            // What components/secure adds: the CA Secret's mount, mutual TLS.
            env.put("PARTITA_TLS_CA_DIR", caDir.toString());
            env.put("PARTITA_TLS_CLIENT_AUTH", "true");
        }
        // What differs from a pod: a loopback address of its own instead of 0.0.0.0, the API server and the log of
        // the preStop hook (a pod's is PID 1's stdout), the test's class path and the hosts file.
        env.put("PARTITA_LISTEN_ADDRESS", ips.get(ordinal));
        env.put("PARTITA_KUBE_API", api.url());
        env.put("PARTITA_PRESTOP_LOG", dir.resolve("prestop-" + ordinal + ".log").toString());
        env.put("PARTITA_CLASSPATH", System.getProperty("java.class.path"));
        env.put("PARTITA_JAVA_OPTS", "-Djdk.net.hosts.file=" + hostsFile() + " -Xmx256m -XX:+UseSerialGC"
                + " -XX:TieredStopAtLevel=1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private String dnsName(int ordinal) {
        return "partita-" + ordinal + "." + SERVICE + "." + NAMESPACE + ".svc.cluster.local";
    }

    private Path hostsFile() {
        return dir.resolve("hosts");
    }

    /** The pods' DNS names as the cluster's DNS would answer them (a restarted pod's name follows it). */
    private void writeHostsFile() throws IOException {
        StringBuilder b = new StringBuilder("127.0.0.1 localhost\n");
        for (Map.Entry<Integer, String> e : ips.entrySet()) {
            b.append(e.getValue()).append(' ').append(dnsName(e.getKey())).append('\n');
        }
        Path tmp = dir.resolve("hosts.tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, hostsFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (Pod p : pods.values()) {
            b.append(p.describe()).append('\n');
        }
        return b.toString();
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What a preStop hook printed and returned. */
    record Hook(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }
}
