package io.partita.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import io.partita.server.Node;
import io.partita.server.config.ConfigLoader;
import io.partita.server.config.NodeConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kubernetes manifests of deploy/kubernetes, as {@code kubectl kustomize} renders the base and the example overlay:
 * every object parses strictly into its typed fabric8 class (an unknown field or kind fails), and the rendered objects
 * keep the contract between the StatefulSet, its Services, PodDisruptionBudget, RBAC, autoscaler, the container's
 * scripts (deploy/container) and the node's configuration. Each invariant is also shown to fail on a broken copy.
 */
class KubernetesManifestsTest {
    static final String ENTRYPOINT = "/opt/partita/deploy/container/entrypoint.sh";
    static final String PRESTOP = "/opt/partita/deploy/container/prestop.sh";
    /** The node's own leadership hand-off on SIGTERM, after the preStop hook. */
    static final long SIGTERM_HANDOFF_SECONDS = 30;
    static final String OVERLAY_NAMESPACE = "partita";
    /** Keys the entrypoint appends per pod: the ConfigMap's template must not have them. */
    static final List<String> PER_POD_KEYS = List.of("node-id", "rack", "listen", "data-dir", "seeds", "auto-join");
    /** Sections the entrypoint writes when PARTITA_TLS_CA_DIR is set (components/secure). */
    static final List<String> SECURE_KEYS = List.of("tls", "security");
    /** The Secret components/secure mounts: the cluster's CA, certificate and key. */
    static final String CA_SECRET = "partita-ca";

    /** The typed class of every kind the manifests may hold, by apiVersion and kind. Anything else fails. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
            "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class);
    static final Set<Class<?>> CLUSTER_SCOPED = Set.of(ClusterRole.class, ClusterRoleBinding.class);

    /**
     * Fails on unknown properties, and ignores the model's {@code @JsonAnySetter}/{@code @JsonAnyGetter}
     * ({@code additionalProperties}), which would otherwise swallow any misspelt field.
     */
    static final JsonMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return null;
                }

                @Override
                public Boolean hasAnyGetter(MapperConfig<?> config, Annotated a) {
                    return null;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------------------------------------- the real files

    @Test
    void baseParsesStrictlyAndKeepsTheContract() throws Exception {
        List<Map<String, Object>> docs = render("base");
        Manifests m = Manifests.parse(docs);
        checkInvariants(m, false);
        checkTemplateStartsANodeThatServesTheProbes(m);
    }

    @Test
    void exampleOverlayParsesStrictlyAndKeepsTheContract() throws Exception {
        List<Map<String, Object>> docs = render("overlays/example");
        Manifests m = Manifests.parse(docs);
        checkInvariants(m, true);
        assertTrue(m.one(StatefulSet.class).getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources()
                .getRequests().get("storage").toString().equals("50Gi"), "the overlay's storage patch applied");
    }

    /** The example with components/secure: the CA Secret mounted, TLS and users on, HTTPS probes. */
    @Test
    void secureOverlayParsesStrictlyAndKeepsTheContract() throws Exception {
        Manifests m = Manifests.parse(render("overlays/example-secure"));
        checkInvariants(m, true);
        Container c = m.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("PARTITA_TLS_CA_DIR")), "TLS is on");
        checkTemplateStartsANodeThatServesTheProbes(m);
    }

    // ------------------------------------------------------------------------------------ the config template

    /** deploy/kubernetes/base/node.yaml, read directly (no kubectl needed), with the entrypoint's per-pod keys. */
    @Test
    void nodeYamlTemplateLoadsWithPerPodKeys() throws IOException {
        String template = Files.readString(repoRoot().resolve("deploy/kubernetes/base/node.yaml"));
        NodeConfig config = checkTemplate(template, tmp.resolve("data"));
        assertEquals("partita-0", config.nodeId());
        assertEquals("partita", config.clusterName());
        assertEquals(List.of(new NodeConfig.NamespaceConfig("test", 3, 0, 1L << 20)), config.namespaces());
        assertEquals(new NodeConfig.Memory(256L << 20, 256L << 20), config.memory());
        assertEquals(Duration.ofSeconds(1), config.raft().electionTimeoutMin());
        assertEquals(Duration.ofSeconds(2), config.raft().electionTimeoutMax());
        assertTrue(config.raft().logSync());
        Map<?, ?> keys = new Yaml(new SafeConstructor(new LoaderOptions())).load(template);
        assertEquals("auto", keys.get("raft-groups"));
        assertEquals(Set.of("cluster-name", "raft-groups", "namespaces", "memory", "raft"), keys.keySet());
        // The template with a per-pod key of its own would give the node that key twice: refused.
        assertThrows(RuntimeException.class, () -> ConfigLoader.parse(
                withPodKeys(template + "data-dir: /elsewhere\n", tmp.resolve("data"), 7300), "twice"));
    }

    // ------------------------------------------------------------------------------------------ strict parsing

    @Test
    void misspeltFieldsAndUnknownKindsFail() throws Exception {
        List<Map<String, Object>> docs = render("base");
        Manifests.parse(docs); // the unchanged copy parses

        assertParseFails(docs, StatefulSet.class, d -> map(d, "spec").put("replica", 3), "replica");
        // Why the strict mapper ignores @JsonAnySetter: FAIL_ON_UNKNOWN_PROPERTIES alone lets the model's
        // additionalProperties swallow the misspelt field.
        Map<String, Object> misspelt = broken(docs, StatefulSet.class, null, d -> map(d, "spec").put("replica", 3))
                .stream().filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst().orElseThrow();
        JsonMapper lenient = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        assertEquals(3, lenient.convertValue(misspelt, StatefulSet.class).getSpec().getAdditionalProperties()
                .get("replica"), "the model's any-setter keeps unknown fields aside");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parseStrictly(misspelt));
        assertTrue(e.getMessage().contains("Unrecognized"), "the parser itself refuses it: " + e.getMessage());
        assertParseFails(docs, StatefulSet.class, d -> podSpec(d).put("terminationGracePeriodSecond", 1800),
                "terminationGracePeriodSecond");
        assertParseFails(docs, StatefulSet.class, d -> container(d).put("readinesProbe", Map.of()), "readinesProbe");
        assertParseFails(docs, StatefulSet.class,
                d -> map(map(container(d), "readinessProbe"), "httpGet").put("paht", "/ready"), "paht");
        assertParseFails(docs, Service.class, "partita-peers", d -> map(d, "spec").put("publishNotReadyAddress", true),
                "publishNotReadyAddress");
        assertParseFails(docs, PodDisruptionBudget.class, d -> map(d, "spec").put("maxUnavaliable", 1),
                "maxUnavaliable");
        assertParseFails(docs, ClusterRoleBinding.class, d -> d.put("subject", List.of()), "subject");
        // A wrong type is no better than a wrong name.
        assertParseFails(docs, StatefulSet.class, d -> map(d, "spec").put("replicas", "three"), "replicas");
        // Unknown kinds, and known kinds at an apiVersion the test does not know, fail.
        assertParseFails(docs, ServiceAccount.class, d -> d.put("kind", "ServiceAcount"), "ServiceAcount");
        assertParseFails(docs, PodDisruptionBudget.class, d -> d.put("apiVersion", "policy/v1beta1"),
                "policy/v1beta1");
    }

    // ----------------------------------------------------------------------------- every invariant can fail

    @Test
    void everyInvariantFailsOnABrokenCopy() throws Exception {
        List<Map<String, Object>> base = render("base");
        List<Map<String, Object>> overlay = render("overlays/example");
        checkInvariants(Manifests.parse(base), false);

        Map<String, Consumer<Map<String, Object>>> stsBreaks = new LinkedHashMap<>();
        stsBreaks.put("readiness path", d -> map(map(container(d), "readinessProbe"), "httpGet").put("path", "/health"));
        stsBreaks.put("readiness port", d -> map(map(container(d), "readinessProbe"), "httpGet").put("port", "client"));
        stsBreaks.put("liveness path", d -> map(map(container(d), "livenessProbe"), "httpGet").put("path", "/ready"));
        stsBreaks.put("startup path", d -> map(map(container(d), "startupProbe"), "httpGet").put("path", "/healthz"));
        stsBreaks.put("admin port", d -> port(d, "admin").put("containerPort", 8080));
        stsBreaks.put("client port", d -> port(d, "client").put("containerPort", 7400));
        stsBreaks.put("raft port name", d -> port(d, "raft").put("name", "ratis"));
        stsBreaks.put("admin port env", d -> env(d, "PARTITA_ADMIN_PORT").put("value", "7303"));
        stsBreaks.put("missing env", d -> envList(d).removeIf(e -> "NODE_NAME".equals(e.get("name"))));
        stsBreaks.put("env fieldRef", d -> map(map(env(d, "POD_NAME"), "valueFrom"), "fieldRef")
                .put("fieldPath", "spec.nodeName"));
        stsBreaks.put("prestop timeout env", d -> env(d, "PARTITA_PRESTOP_TIMEOUT_SECONDS").put("value", "1800"));
        stsBreaks.put("grace period", d -> podSpec(d).put("terminationGracePeriodSeconds", 1530));
        stsBreaks.put("preStop command", d -> map(map(map(container(d), "lifecycle"), "preStop"), "exec")
                .put("command", List.of("/bin/true")));
        stsBreaks.put("entrypoint", d -> container(d).put("command", List.of("/opt/partita/bin/partita")));
        stsBreaks.put("serviceName", d -> map(d, "spec").put("serviceName", "partita"));
        stsBreaks.put("pod labels", d -> map(map(map(map(d, "spec"), "template"), "metadata"), "labels")
                .put("app.kubernetes.io/component", "server"));
        stsBreaks.put("podManagementPolicy", d -> map(d, "spec").put("podManagementPolicy", "OrderedReady"));
        stsBreaks.put("config volume", d -> volume(d, "config").put("configMap", Map.of("name", "partita-config")));
        stsBreaks.put("config mount", d -> mount(d, "config").put("mountPath", "/etc/partita-conf"));
        stsBreaks.put("data mount", d -> mount(d, "data").put("mountPath", "/data"));
        stsBreaks.put("data claim", d -> map(list(map(d, "spec"), "volumeClaimTemplates").get(0), "metadata")
                .put("name", "storage"));
        stsBreaks.put("service account", d -> podSpec(d).put("serviceAccountName", "default"));
        stsBreaks.put("initial nodes", d -> map(d, "spec").put("replicas", 2));
        stsBreaks.put("run as root", d -> map(podSpec(d), "securityContext").put("runAsUser", 0));
        stsBreaks.put("host anti-affinity", d -> map(map(podSpec(d), "affinity"), "podAntiAffinity")
                .remove("requiredDuringSchedulingIgnoredDuringExecution"));
        stsBreaks.forEach((what, br) -> assertInvariantFails(base, StatefulSet.class, null, br, false, what));

        assertInvariantFails(base, PodDisruptionBudget.class, null, d -> map(d, "spec").put("maxUnavailable", 2), false,
                "PDB maxUnavailable");
        assertInvariantFails(base, PodDisruptionBudget.class, null,
                d -> map(map(map(d, "spec"), "selector"), "matchLabels").put("app.kubernetes.io/name", "other"), false,
                "PDB selector");
        assertInvariantFails(base, Service.class, "partita",
                d -> map(map(d, "spec"), "selector").put("app.kubernetes.io/instance", "x"), false,
                "client Service selector");
        assertInvariantFails(base, Service.class, "partita-peers",
                d -> map(map(d, "spec"), "selector").put("app.kubernetes.io/name", "partita-x"), false,
                "peers Service selector");
        assertInvariantFails(base, Service.class, "partita-peers",
                d -> map(d, "spec").put("publishNotReadyAddresses", false), false, "publishNotReadyAddresses");
        assertInvariantFails(base, Service.class, "partita-peers", d -> map(d, "spec").remove("clusterIP"), false,
                "headless");
        assertInvariantFails(base, Service.class, "partita", d -> list(map(d, "spec"), "ports").remove(0), false,
                "client Service port");
        assertInvariantFails(base, ConfigMap.class, null, d -> {
            Map<String, Object> data = map(d, "data");
            data.put("conf.yaml", data.remove("node.yaml"));
        }, false, "ConfigMap key");
        assertInvariantFails(base, ConfigMap.class, null, d -> map(d, "data").put("node.yaml",
                map(d, "data").get("node.yaml") + "\nnode-id: partita-0\n"), false, "per-pod key in the template");
        assertInvariantFails(base, Role.class, null,
                d -> list(d, "rules").get(0).put("resourceNames", List.of("other")), false, "Role resourceNames");
        assertInvariantFails(base, Role.class, null, d -> list(d, "rules").get(0).put("verbs", List.of("list")), false,
                "Role verbs");
        assertInvariantFails(base, ClusterRole.class, null,
                d -> list(d, "rules").get(0).put("resources", List.of("pods")), false, "ClusterRole resources");
        assertInvariantFails(base, RoleBinding.class, null, d -> map(d, "roleRef").put("name", "other"), false,
                "RoleBinding roleRef");
        assertInvariantFails(base, ClusterRoleBinding.class, null,
                d -> list(d, "subjects").get(0).put("namespace", "kube-system"), false, "ClusterRoleBinding subject");

        checkInvariants(Manifests.parse(overlay), true);
        assertInvariantFails(overlay, ClusterRoleBinding.class, null,
                d -> list(d, "subjects").get(0).put("namespace", "default"), true, "overlay ClusterRoleBinding subject");
        assertInvariantFails(overlay, Service.class, "partita", d -> map(d, "metadata").put("namespace", "default"),
                true, "overlay object namespace");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null, d -> map(d, "spec").put("minReplicas", 2),
                true, "HPA minReplicas");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null,
                d -> map(map(d, "spec"), "scaleTargetRef").put("kind", "Deployment"), true, "HPA target kind");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null,
                d -> map(map(d, "spec"), "scaleTargetRef").put("name", "partita-x"), true, "HPA target name");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null,
                d -> list(map(map(map(d, "spec"), "behavior"), "scaleDown"), "policies").get(0).put("value", 2), true,
                "HPA scale-down pods");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null,
                d -> list(map(map(map(d, "spec"), "behavior"), "scaleDown"), "policies").add(new LinkedHashMap<>(
                        Map.of("type", "Percent", "value", 50, "periodSeconds", 60))), true, "HPA scale-down percent");
        assertInvariantFails(overlay, HorizontalPodAutoscaler.class, null,
                d -> map(map(d, "spec"), "behavior").remove("scaleDown"), true, "HPA default scale-down");
        assertInvariantFails(overlay, ConfigMap.class, null, d -> map(d, "data").put("node.yaml",
                map(d, "data").get("node.yaml").toString().replace("replication-factor: 3", "replication-factor: 5")),
                true, "replication factor above the initial nodes and minReplicas");

        assertInvariantFails(base, StatefulSet.class, null,
                d -> map(map(container(d), "readinessProbe"), "httpGet").put("scheme", "HTTPS"), false,
                "HTTPS probe without TLS");
        List<Map<String, Object>> secure = render("overlays/example-secure");
        checkInvariants(Manifests.parse(secure), true);
        Map<String, Consumer<Map<String, Object>>> secureBreaks = new LinkedHashMap<>();
        secureBreaks.put("readiness scheme", d -> map(map(container(d), "readinessProbe"), "httpGet")
                .put("scheme", "HTTP"));
        secureBreaks.put("liveness scheme", d -> map(map(container(d), "livenessProbe"), "httpGet").remove("scheme"));
        secureBreaks.put("startup scheme", d -> map(map(container(d), "startupProbe"), "httpGet")
                .put("scheme", "HTTP"));
        secureBreaks.put("CA Secret name", d -> map(volume(d, "ca"), "secret").put("secretName", "partita-tls"));
        secureBreaks.put("CA Secret readable by all", d -> map(volume(d, "ca"), "secret").put("defaultMode", 0444));
        secureBreaks.put("CA Secret default mode", d -> map(volume(d, "ca"), "secret").remove("defaultMode"));
        secureBreaks.put("CA Secret items", d -> map(volume(d, "ca"), "secret").put("items",
                List.of(Map.of("key", "ca.crt", "path", "ca.crt"))));
        secureBreaks.put("CA mount path", d -> mount(d, "ca").put("mountPath", "/etc/partita-tls"));
        secureBreaks.put("CA mount writable", d -> mount(d, "ca").remove("readOnly"));
        secureBreaks.put("CA mount in the config mount", d -> {
            mount(d, "ca").put("mountPath", "/etc/partita/ca");
            env(d, "PARTITA_TLS_CA_DIR").put("value", "/etc/partita/ca");
        });
        secureBreaks.put("client auth", d -> env(d, "PARTITA_TLS_CLIENT_AUTH").put("value", "false"));
        secureBreaks.put("no CA dir env", d -> envList(d).removeIf(e -> "PARTITA_TLS_CA_DIR".equals(e.get("name"))));
        secureBreaks.forEach((what, br) -> assertInvariantFails(secure, StatefulSet.class, null, br, true, what));
        assertInvariantFails(secure, ConfigMap.class, null, d -> map(d, "data").put("node.yaml",
                map(d, "data").get("node.yaml") + "\ntls:\n  enabled: false\n"), true, "tls: in the secure template");
    }

    // ------------------------------------------------------------------------------------------- the invariants

    /** Asserts the contract on rendered, parsed manifests; {@code overlay}: the example overlay's extra rules. */
    static void checkInvariants(Manifests m, boolean overlay) {
        StatefulSet sts = m.one(StatefulSet.class);
        String stsName = sts.getMetadata().getName();
        assertEquals("partita", stsName);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("partita", podLabels.get("app.kubernetes.io/name"), "pod label app.kubernetes.io/name");
        assertEquals("node", podLabels.get("app.kubernetes.io/component"), "pod label app.kubernetes.io/component");
        assertSelects(sts.getSpec().getSelector(), podLabels, "StatefulSet selector");
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy(),
                "pods are not ready before the cluster exists: OrderedReady would never start pod 1");
        assertEquals("RollingUpdate", sts.getSpec().getUpdateStrategy().getType());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser(), "the image's uid");
        assertEquals(10001L, pod.getSecurityContext().getFsGroup(), "the image's gid owns the volume");
        assertNotNull(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                "one node per machine");
        assertTrue(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().stream()
                .anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey())
                        && selects(t.getLabelSelector(), podLabels)), "required anti-affinity per host");
        assertTrue(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                .anyMatch(t -> "topology.kubernetes.io/zone".equals(t.getPodAffinityTerm().getTopologyKey())
                        && selects(t.getPodAffinityTerm().getLabelSelector(), podLabels)),
                "preferred anti-affinity per zone");

        assertEquals(1, pod.getContainers().size(), "one container");
        Container c = pod.getContainers().get(0);
        assertEquals(List.of(ENTRYPOINT), c.getCommand(), "container command");
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            assertTrue(env.put(e.getName(), e) == null, "env " + e.getName() + " set twice");
        }

        // Env vars of the container scripts' contract.
        assertFieldRef(env, "POD_NAME", "metadata.name");
        assertFieldRef(env, "POD_NAMESPACE", "metadata.namespace");
        assertFieldRef(env, "NODE_NAME", "spec.nodeName");
        Service peers = headlessService(m);
        assertEquals(peers.getMetadata().getName(), sts.getSpec().getServiceName(),
                "StatefulSet.spec.serviceName is the headless Service that publishes not-ready pods");
        assertEquals("partita-peers", peers.getMetadata().getName());
        assertEquals(peers.getMetadata().getName(), value(env, "PARTITA_SERVICE"));
        assertEquals(stsName, value(env, "PARTITA_STATEFULSET"));
        assertEquals("cluster.local", value(env, "PARTITA_CLUSTER_DOMAIN"));
        int initialNodes = Integer.parseInt(value(env, "PARTITA_INITIAL_NODES"));
        assertEquals(3, initialNodes, "PARTITA_INITIAL_NODES");
        assertTrue(sts.getSpec().getReplicas() >= initialNodes, "replicas " + sts.getSpec().getReplicas()
                + " cannot form an initial cluster of " + initialNodes);
        assertEquals("/etc/partita/node.yaml", value(env, "PARTITA_CONF_TEMPLATE"));
        assertEquals("/var/lib/partita", value(env, "PARTITA_DATA_DIR"));
        assertEquals("topology.kubernetes.io/zone", value(env, "PARTITA_RACK_LABEL"));
        assertEquals("-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError", value(env, "PARTITA_JAVA_OPTS"));
        long prestopTimeout = Long.parseLong(value(env, "PARTITA_PRESTOP_TIMEOUT_SECONDS"));
        assertEquals(1500, prestopTimeout, "PARTITA_PRESTOP_TIMEOUT_SECONDS");

        // Ports: named as the probes and Services use them, equal to what the entrypoint configures.
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort p : c.getPorts()) {
            assertTrue(ports.put(p.getName(), p.getContainerPort()) == null, "port " + p.getName() + " twice");
        }
        assertEquals(Set.of("client", "raft", "admin"), ports.keySet(), "container ports");
        assertEquals(Integer.parseInt(value(env, "PARTITA_CLIENT_PORT")), ports.get("client"), "client port = env");
        assertEquals(Integer.parseInt(value(env, "PARTITA_RAFT_PORT")), ports.get("raft"), "raft port = env");
        assertEquals(Integer.parseInt(value(env, "PARTITA_ADMIN_PORT")), ports.get("admin"), "admin port = env");
        assertEquals(7300, ports.get("client"));
        assertEquals(7301, ports.get("raft"));
        assertEquals(7302, ports.get("admin"));

        // Probes on the admin port, which speaks HTTPS when the entrypoint turns TLS on (PARTITA_TLS_CA_DIR).
        boolean secure = env.containsKey("PARTITA_TLS_CA_DIR");
        String scheme = secure ? "HTTPS" : "HTTP";
        assertProbe(c.getReadinessProbe(), "/ready", scheme, "readiness");
        assertProbe(c.getLivenessProbe(), "/health", scheme, "liveness");
        if (c.getStartupProbe() != null) {
            assertProbe(c.getStartupProbe(), "/health", scheme, "startup");
        }
        // A node may take ~20 s to start: liveness must not kill it first (unless a startup probe guards it).
        Probe live = c.getLivenessProbe();
        long liveBudget = (long) orDefault(live.getInitialDelaySeconds(), 0)
                + (long) orDefault(live.getPeriodSeconds(), 10) * orDefault(live.getFailureThreshold(), 3);
        long startBudget = c.getStartupProbe() == null ? 0 : (long) orDefault(c.getStartupProbe().getInitialDelaySeconds(), 0)
                + (long) orDefault(c.getStartupProbe().getPeriodSeconds(), 10)
                * orDefault(c.getStartupProbe().getFailureThreshold(), 3);
        assertTrue(Math.max(liveBudget, startBudget) >= 60, "probes give a starting node at least 60 s");

        // Shutdown: the preStop hook and enough grace for its drain plus the node's SIGTERM hand-off.
        assertNotNull(c.getLifecycle(), "lifecycle");
        assertEquals(List.of(PRESTOP), c.getLifecycle().getPreStop().getExec().getCommand(), "preStop command");
        long grace = pod.getTerminationGracePeriodSeconds();
        assertTrue(grace > prestopTimeout + SIGTERM_HANDOFF_SECONDS, "terminationGracePeriodSeconds " + grace
                + " must exceed PARTITA_PRESTOP_TIMEOUT_SECONDS " + prestopTimeout + " + " + SIGTERM_HANDOFF_SECONDS);

        // Volumes: the data claim at PARTITA_DATA_DIR, the generated ConfigMap at PARTITA_CONF_TEMPLATE's directory.
        Map<String, String> mounts = new LinkedHashMap<>();
        for (VolumeMount vm : c.getVolumeMounts()) {
            mounts.put(vm.getName(), vm.getMountPath());
        }
        List<PersistentVolumeClaim> claims = sts.getSpec().getVolumeClaimTemplates();
        assertEquals(1, claims.size(), "one volume claim template");
        assertEquals("data", claims.get(0).getMetadata().getName());
        assertEquals(List.of("ReadWriteOnce"), claims.get(0).getSpec().getAccessModes());
        assertNotNull(claims.get(0).getSpec().getResources().getRequests().get("storage"), "storage request");
        assertEquals(stripSlash(value(env, "PARTITA_DATA_DIR")), stripSlash(mounts.get("data")), "data mount");
        Volume configVolume = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst()
                .orElseThrow(() -> new AssertionFailedError("no configMap volume"));
        ConfigMap config = m.all(ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals(configVolume.getConfigMap().getName())).findFirst()
                .orElseThrow(() -> new AssertionFailedError("the config volume names ConfigMap "
                        + configVolume.getConfigMap().getName() + ", which the manifests do not have"));
        assertTrue(config.getMetadata().getName().matches("partita-config-[a-z0-9]{6,}"),
                "the ConfigMap's name carries kustomize's content hash (config changes roll the pods): "
                        + config.getMetadata().getName());
        assertTrue(config.getData() != null && config.getData().containsKey("node.yaml"), "ConfigMap key node.yaml");
        String template = value(env, "PARTITA_CONF_TEMPLATE");
        assertEquals(stripSlash(Path.of(template).getParent().toString()),
                stripSlash(mounts.get(configVolume.getName())), "the ConfigMap is mounted where the template is read");
        assertEquals("node.yaml", Path.of(template).getFileName().toString());
        if (Boolean.TRUE.equals(c.getSecurityContext() == null ? null
                : c.getSecurityContext().getReadOnlyRootFilesystem())) {
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null
                    && "/tmp".equals(stripSlash(mounts.get(v.getName())))), "a writable /tmp (emptyDir)");
        }
        if (secure) {
            checkSecure(pod, c, env, mounts, config.getData().get("node.yaml"));
        }
        NodeConfig sample = checkTemplate(config.getData().get("node.yaml"), Path.of("/tmp/partita-sample-data"));
        int maxReplication = sample.namespaces().stream().mapToInt(NodeConfig.NamespaceConfig::replicationFactor)
                .max().orElseThrow();
        assertTrue(initialNodes >= maxReplication, "the initial cluster of " + initialNodes
                + " nodes cannot hold replication factor " + maxReplication);

        // Services and the PodDisruptionBudget select the StatefulSet's pods.
        for (Service s : m.all(Service.class)) {
            assertSelects(s.getSpec().getSelector(), podLabels, "Service " + s.getMetadata().getName());
        }
        assertEquals(Set.of("client", "raft", "admin"), servicePorts(peers, ports), "headless Service ports");
        Service client = m.named(Service.class, "partita");
        assertNotEquals("None", client.getSpec().getClusterIP(), "the client Service has a cluster IP");
        Set<String> clientPorts = servicePorts(client, ports);
        assertTrue(clientPorts.contains("client") && clientPorts.contains("admin"), "client Service ports: " + clientPorts);
        PodDisruptionBudget pdb = m.one(PodDisruptionBudget.class);
        assertSelects(pdb.getSpec().getSelector(), podLabels, "PodDisruptionBudget");
        assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable(), "PDB maxUnavailable");
        assertEquals(null, pdb.getSpec().getMinAvailable(), "PDB minAvailable (maxUnavailable only)");

        // RBAC: the pods' ServiceAccount may read its StatefulSet and the nodes.
        String sa = pod.getServiceAccountName();
        ServiceAccount account = m.named(ServiceAccount.class, sa);
        String namespace = namespaceOf(m, overlay);
        Role role = m.one(Role.class);
        assertTrue(grants(role.getRules(), "apps", "statefulsets", stsName, "get"), "Role: get statefulsets/" + stsName);
        RoleBinding rb = m.one(RoleBinding.class);
        assertEquals("Role", rb.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), rb.getRoleRef().getName(), "RoleBinding roleRef");
        assertBindsAccount(rb.getSubjects(), account, namespace, "RoleBinding");
        ClusterRole cr = m.one(ClusterRole.class);
        assertTrue(grants(cr.getRules(), "", "nodes", null, "get"), "ClusterRole: get nodes");
        ClusterRoleBinding crb = m.one(ClusterRoleBinding.class);
        assertEquals("ClusterRole", crb.getRoleRef().getKind());
        assertEquals(cr.getMetadata().getName(), crb.getRoleRef().getName(), "ClusterRoleBinding roleRef");
        assertBindsAccount(crb.getSubjects(), account, namespace, "ClusterRoleBinding");

        if (!overlay) {
            return;
        }
        // The example overlay: everything namespaced in its namespace, and the autoscaler.
        for (HasMetadata o : m.objects) {
            if (!CLUSTER_SCOPED.contains(o.getClass())) {
                assertEquals(OVERLAY_NAMESPACE, o.getMetadata().getNamespace(),
                        o.getKind() + " " + o.getMetadata().getName() + " namespace");
            } else {
                assertEquals(null, o.getMetadata().getNamespace(), o.getKind() + " is cluster-scoped");
            }
        }
        HorizontalPodAutoscaler hpa = m.one(HorizontalPodAutoscaler.class);
        assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion(), "HPA target apiVersion");
        assertEquals("StatefulSet", hpa.getSpec().getScaleTargetRef().getKind(), "HPA target kind");
        assertEquals(stsName, hpa.getSpec().getScaleTargetRef().getName(), "HPA target name");
        int min = orDefault(hpa.getSpec().getMinReplicas(), 1);
        assertTrue(min >= maxReplication, "HPA minReplicas " + min + " is below the replication factor "
                + maxReplication + ": the scale-down drain refuses to go below it");
        assertTrue(hpa.getSpec().getMaxReplicas() >= min, "maxReplicas >= minReplicas");
        HPAScalingRules down = hpa.getSpec().getBehavior() == null ? null : hpa.getSpec().getBehavior().getScaleDown();
        assertNotNull(down, "HPA scale-down behavior (the default removes up to 100% of the pods at once)");
        assertFalse(down.getPolicies().isEmpty(), "HPA scale-down policies");
        assertNotEquals("Disabled", down.getSelectPolicy());
        for (HPAScalingPolicy p : down.getPolicies()) {
            assertEquals("Pods", p.getType(), "scale-down policies count pods (a percentage may remove several)");
            assertTrue(p.getValue() <= 1, "scale-down removes at most 1 pod per period, not " + p.getValue());
            assertTrue(p.getPeriodSeconds() >= 60, "scale-down period " + p.getPeriodSeconds());
        }
    }

    /**
     * components/secure: the Secret holding the CA (certificate and key, which the entrypoint issues the pod's node
     * certificate with) mounted read-only and private at PARTITA_TLS_CA_DIR, outside the other mounts; mutual TLS;
     * and a template without the sections the entrypoint writes.
     */
    static void checkSecure(PodSpec pod, Container c, Map<String, EnvVar> env, Map<String, String> mounts,
                            String template) {
        String caDir = stripSlash(value(env, "PARTITA_TLS_CA_DIR"));
        VolumeMount mount = c.getVolumeMounts().stream().filter(vm -> caDir.equals(stripSlash(vm.getMountPath())))
                .findFirst().orElseThrow(() -> new AssertionFailedError("nothing is mounted at PARTITA_TLS_CA_DIR "
                        + caDir));
        assertEquals(Boolean.TRUE, mount.getReadOnly(), "the CA mount is read-only");
        mounts.forEach((name, path) -> {
            if (!name.equals(mount.getName())) {
                assertFalse(caDir.startsWith(stripSlash(path) + "/"), "the CA mount " + caDir + " lies in the "
                        + name + " mount " + path);
            }
        });
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionFailedError("no volume " + mount.getName()));
        assertNotNull(volume.getSecret(), "the CA comes from a Secret");
        assertEquals(CA_SECRET, volume.getSecret().getSecretName(), "the CA Secret's name (the docs create it)");
        assertTrue(volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty(),
                "the whole Secret (ca.crt and ca.key) is mounted");
        Integer mode = volume.getSecret().getDefaultMode();
        assertTrue(mode != null && (mode & 0007) == 0, "ca.key is not readable by others (defaultMode "
                + (mode == null ? "unset: 0644" : Integer.toOctalString(mode)) + ")");
        assertEquals("true", value(env, "PARTITA_TLS_CLIENT_AUTH"), "clients need a certificate (mutual TLS)");
        Map<?, ?> keys = new Yaml(new SafeConstructor(new LoaderOptions())).load(template);
        for (String key : SECURE_KEYS) {
            assertFalse(keys.containsKey(key), "the template has " + key + ":, which the entrypoint writes with "
                    + "PARTITA_TLS_CA_DIR (and refuses to write twice)");
        }
    }

    /**
     * The ConfigMap's template: cluster-wide keys only, and accepted by the node's loader once the entrypoint's
     * per-pod keys are appended.
     */
    static NodeConfig checkTemplate(String template, Path dataDir) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(template);
        assertTrue(tree instanceof Map, "node.yaml is a mapping");
        for (String key : PER_POD_KEYS) {
            assertFalse(((Map<?, ?>) tree).containsKey(key), "the template has per-pod key " + key
                    + ", which the entrypoint appends");
        }
        return ConfigLoader.parse(withPodKeys(template, dataDir, 7300), "partita-config/node.yaml + per-pod keys");
    }

    static String withPodKeys(String template, Path dataDir, int seedPort) {
        return template + (template.endsWith("\n") ? "" : "\n")
                + "node-id: partita-0\n"
                + "rack: zone-a\n"
                + "listen:\n"
                + "  address: 127.0.0.1\n"
                + "  client-port: 0\n"
                + "  raft-port: 0\n"
                + "  admin-port: 0\n"
                + "data-dir: '" + dataDir + "'\n"
                + "seeds:\n"
                + "  - 127.0.0.1:" + seedPort + "\n"
                + "auto-join: true\n";
    }

    /**
     * Starts a real node from the rendered template plus per-pod keys (seeds that answer nothing: no cluster yet)
     * and GETs the probe paths on its admin listener: /health answers 200 and /ready 503 (not joined), not 404.
     */
    void checkTemplateStartsANodeThatServesTheProbes(Manifests m) throws Exception {
        Container c = m.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        String template = m.all(ConfigMap.class).get(0).getData().get("node.yaml");
        String conf = withPodKeys(template, tmp.resolve("data"), TestPorts.free());
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        String scheme = c.getReadinessProbe().getHttpGet().getScheme() == null ? "http"
                : c.getReadinessProbe().getHttpGet().getScheme().toLowerCase(java.util.Locale.ROOT);
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        if (env.containsKey("PARTITA_TLS_CA_DIR")) {
            // The sections the entrypoint writes, with a node certificate as it issues them; the probe client, like
            // the kubelet, has no certificate to present, client-auth or not.
            TestCertificates ca = TestCertificates.ca(tmp, "ca");
            TestCertificates.Pair node = ca.issue("partita-0", List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
            conf += "tls:\n  enabled: true\n  cert-file: '" + node.cert() + "'\n  key-file: '" + node.key() + "'\n"
                    + "  ca-file: '" + ca.certFile() + "'\n  client-auth: " + env.get("PARTITA_TLS_CLIENT_AUTH") + "\n"
                    + "security:\n  enabled: true\n";
            http.sslContext(TlsMaterial.load(TlsSettings.trusting(ca.certFile())).clientContext());
        }
        NodeConfig config = ConfigLoader.parse(conf, "node.yaml");
        HttpClient probes = http.build();
        try (Node node = Node.start(config, Clock.SYSTEM)) {
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put(c.getLivenessProbe().getHttpGet().getPath(), 200);
            if (c.getStartupProbe() != null) {
                expected.put(c.getStartupProbe().getHttpGet().getPath(), 200);
            }
            // Not ready: the node has not joined a cluster (its seed answers nothing).
            expected.put(c.getReadinessProbe().getHttpGet().getPath(), 503);
            expected.put("/metrics", 200);
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                HttpResponse<String> r = probes.send(HttpRequest.newBuilder(
                                URI.create(scheme + "://127.0.0.1:" + node.adminPort() + e.getKey()))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(e.getValue(), r.statusCode(), "GET " + e.getKey() + ": " + r.body());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    static String namespaceOf(Manifests m, boolean overlay) {
        Set<String> namespaces = m.objects.stream().filter(o -> !CLUSTER_SCOPED.contains(o.getClass()))
                .map(o -> o.getMetadata().getNamespace()).collect(Collectors.toCollection(HashSet::new));
        assertEquals(1, namespaces.size(), "one namespace for all namespaced objects: " + namespaces);
        String ns = namespaces.iterator().next();
        // The base sets none: `kubectl apply -k` puts its objects in the default namespace.
        return ns == null ? "default" : ns;
    }

    static void assertBindsAccount(List<Subject> subjects, ServiceAccount account, String namespace, String what) {
        assertTrue(subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && account.getMetadata().getName().equals(s.getName()) && namespace.equals(s.getNamespace())),
                what + " binds ServiceAccount " + namespace + "/" + account.getMetadata().getName() + ": " + subjects);
    }

    static boolean grants(List<PolicyRule> rules, String group, String resource, String name, String verb) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb)
                && (name == null || r.getResourceNames().isEmpty() || r.getResourceNames().contains(name)));
    }

    static Set<String> servicePorts(Service s, Map<String, Integer> containerPorts) {
        Set<String> names = new LinkedHashSet<>();
        s.getSpec().getPorts().forEach(p -> {
            IntOrString target = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
            Integer resolved = target.getStrVal() != null ? containerPorts.get(target.getStrVal()) : target.getIntVal();
            assertNotNull(resolved, "Service " + s.getMetadata().getName() + " port " + p.getName()
                    + " targets no container port: " + target);
            assertTrue(containerPorts.containsKey(p.getName()) && containerPorts.get(p.getName()).equals(resolved),
                    "Service " + s.getMetadata().getName() + " port " + p.getName() + " reaches container port "
                            + resolved);
            assertEquals(resolved, p.getPort(), "Service " + s.getMetadata().getName() + " port " + p.getName()
                    + ": the same number as the node's");
            names.add(p.getName());
        });
        return names;
    }

    static Service headlessService(Manifests m) {
        List<Service> headless = m.all(Service.class).stream()
                .filter(s -> "None".equals(s.getSpec().getClusterIP())
                        && Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses()))
                .toList();
        assertEquals(1, headless.size(), "one headless Service (clusterIP None) that publishes not-ready pods");
        return headless.get(0);
    }

    static void assertProbe(Probe probe, String path, String scheme, String what) {
        assertNotNull(probe, what + " probe");
        assertNotNull(probe.getHttpGet(), what + " probe is an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), what + " probe path");
        assertEquals(new IntOrString("admin"), probe.getHttpGet().getPort(), what + " probe port");
        assertEquals(scheme, probe.getHttpGet().getScheme() == null ? "HTTP" : probe.getHttpGet().getScheme(),
                what + " probe scheme (HTTPS exactly when the entrypoint turns TLS on)");
    }

    static void assertFieldRef(Map<String, EnvVar> env, String name, String fieldPath) {
        EnvVar e = env.get(name);
        assertNotNull(e, "env " + name);
        assertTrue(e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                && fieldPath.equals(e.getValueFrom().getFieldRef().getFieldPath()), "env " + name + " = " + fieldPath);
    }

    static String value(Map<String, EnvVar> env, String name) {
        EnvVar e = env.get(name);
        assertNotNull(e, "env " + name);
        assertNotNull(e.getValue(), "env " + name + " has a literal value");
        return e.getValue();
    }

    static void assertSelects(LabelSelector selector, Map<String, String> labels, String what) {
        assertNotNull(selector, what + " selector");
        assertTrue(selects(selector, labels), what + " selector " + selector + " does not select pod labels " + labels);
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchExpressions().isEmpty() && selector.getMatchLabels() != null
                && !selector.getMatchLabels().isEmpty() && selects(selector.getMatchLabels(), labels);
    }

    static void assertSelects(Map<String, String> selector, Map<String, String> labels, String what) {
        assertTrue(selector != null && !selector.isEmpty() && selects(selector, labels),
                what + " selector " + selector + " does not select pod labels " + labels);
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static String stripSlash(String path) {
        return path == null ? null : path.replaceAll("/+$", "");
    }

    static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }

    // ---------------------------------------------------------------------------------- rendering and parsing

    /** The parsed objects of one rendering. */
    record Manifests(List<HasMetadata> objects) {
        static Manifests parse(List<Map<String, Object>> docs) {
            List<HasMetadata> objects = new ArrayList<>();
            for (Map<String, Object> doc : docs) {
                objects.add(parseStrictly(doc));
            }
            return new Manifests(objects);
        }

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> T one(Class<T> type) {
            List<T> all = all(type);
            assertEquals(1, all.size(), "one " + type.getSimpleName());
            return all.get(0);
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                    .orElseThrow(() -> new AssertionFailedError("no " + type.getSimpleName() + " " + name));
        }
    }

    /**
     * The typed object of one document. Fails (IllegalArgumentException) on an unknown apiVersion/kind, an unknown
     * field at any depth, a value of the wrong type, or anything the typed object does not write back as it was.
     */
    static HasMetadata parseStrictly(Map<String, Object> doc) {
        String key = doc.get("apiVersion") + "/" + doc.get("kind");
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unknown apiVersion/kind " + key + " (known: " + KINDS.keySet() + ")");
        }
        String what = key + " " + ((Map<?, ?>) doc.getOrDefault("metadata", Map.of())).get("name");
        HasMetadata typed;
        try {
            typed = STRICT.convertValue(doc, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        // Belt and braces: whatever a custom deserializer of the model might drop or keep aside shows up here.
        Object back = STRICT.convertValue(typed, Map.class);
        List<String> diff = new ArrayList<>();
        diff("", doc, back, diff);
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException(what + ": the typed object does not hold the document: " + diff);
        }
        return typed;
    }

    static void diff(String path, Object a, Object b, List<String> out) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                // The model fills in apiVersion and kind of embedded objects (a volume claim template).
                if (!ma.containsKey(k) && (k.equals("apiVersion") || k.equals("kind")) && !path.isEmpty()) {
                    continue;
                }
                diff(path + "." + k, ma.get(k), mb.get(k), out);
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            for (int i = 0; i < la.size(); i++) {
                diff(path + "[" + i + "]", la.get(i), lb.get(i), out);
            }
        } else if (!Objects.equals(normal(a), normal(b))) {
            out.add(path + ": " + a + " -> " + b);
        }
    }

    private static Object normal(Object v) {
        return v instanceof Number n && !(v instanceof Double || v instanceof Float) ? (Object) n.longValue() : v;
    }

    /** Renders a kustomization under deploy/kubernetes with {@code kubectl kustomize}; skips without kubectl. */
    static List<Map<String, Object>> render(String dir) throws IOException, InterruptedException {
        String kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null,
                "kubectl is not on PATH: cannot render deploy/kubernetes with `kubectl kustomize`");
        Path target = repoRoot().resolve("deploy/kubernetes").resolve(dir);
        Process p = new ProcessBuilder(kubectl, "kustomize", target.toString()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl kustomize " + target + " did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), "kubectl kustomize " + target + ": " + err.join());
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            if (doc == null) {
                continue;
            }
            assertTrue(doc instanceof Map, "a rendered document is not a mapping: " + doc);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) doc;
            docs.add(m);
        }
        assertFalse(docs.isEmpty(), "kubectl kustomize " + target + " rendered nothing");
        return docs;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return null;
    }

    /** The repository's root: the test runs in server/, so the first ancestor with deploy/kubernetes. */
    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("deploy/kubernetes/base/kustomization.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }

    // ------------------------------------------------------------------------------ breaking copies of the docs

    /** A deep, mutable copy of the documents with {@code change} applied to the one of {@code type} (and name). */
    static List<Map<String, Object>> broken(List<Map<String, Object>> docs, Class<?> type, String name,
                                            Consumer<Map<String, Object>> change) {
        List<Map<String, Object>> copy = new ArrayList<>();
        int changed = 0;
        for (Map<String, Object> d : docs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) deepCopy(d);
            String key = c.get("apiVersion") + "/" + c.get("kind");
            if (KINDS.get(key) == type && (name == null || name.equals(map(c, "metadata").get("name")))) {
                change.accept(c);
                changed++;
            }
            copy.add(c);
        }
        assertEquals(1, changed, "documents changed (" + type.getSimpleName() + " " + name + ")");
        return copy;
    }

    static void assertParseFails(List<Map<String, Object>> docs, Class<?> type, Consumer<Map<String, Object>> change,
                                 String mentioned) {
        assertParseFails(docs, type, null, change, mentioned);
    }

    static void assertParseFails(List<Map<String, Object>> docs, Class<?> type, String name,
                                 Consumer<Map<String, Object>> change, String mentioned) {
        List<Map<String, Object>> bad = broken(docs, type, name, change);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifests.parse(bad),
                "a broken " + type.getSimpleName() + " (" + mentioned + ") parsed");
        assertTrue(e.getMessage().contains(mentioned), "the error names " + mentioned + ": " + e.getMessage());
    }

    /** The broken copy still parses, and {@link #checkInvariants} fails on it. */
    static void assertInvariantFails(List<Map<String, Object>> docs, Class<?> type, String name,
                                     Consumer<Map<String, Object>> change, boolean overlay, String what) {
        Manifests m = Manifests.parse(broken(docs, type, name, change));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> checkInvariants(m, overlay),
                "the invariants hold on a copy with a broken " + what);
        System.out.println("broken " + what + ": " + e.getMessage()); // which check caught it, for the reader
    }

    static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(k, deepCopy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(deepCopy(v)));
            return c;
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " is not a mapping in " + m.keySet());
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof List, key + " is not a list in " + m.keySet());
        return (List<Map<String, Object>>) v;
    }

    static Map<String, Object> podSpec(Map<String, Object> sts) {
        return map(map(map(sts, "spec"), "template"), "spec");
    }

    static Map<String, Object> container(Map<String, Object> sts) {
        return list(podSpec(sts), "containers").get(0);
    }

    static List<Map<String, Object>> envList(Map<String, Object> sts) {
        return list(container(sts), "env");
    }

    static Map<String, Object> named(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> name.equals(i.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionFailedError("no item named " + name));
    }

    static Map<String, Object> env(Map<String, Object> sts, String name) {
        return named(envList(sts), name);
    }

    static Map<String, Object> port(Map<String, Object> sts, String name) {
        return named(list(container(sts), "ports"), name);
    }

    static Map<String, Object> volume(Map<String, Object> sts, String name) {
        return named(list(podSpec(sts), "volumes"), name);
    }

    static Map<String, Object> mount(Map<String, Object> sts, String name) {
        return named(list(container(sts), "volumeMounts"), name);
    }
}
