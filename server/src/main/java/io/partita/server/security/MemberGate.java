package io.partita.server.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.server.cluster.PlanView;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Which calls only a node of the cluster may make, and how a node proves it is one: with TLS on, by a certificate
 * from the cluster's CA whose common name is its node id and which is a node certificate (its extended key usage
 * allows TLS servers, as {@code partita tls node} issues; {@code partita tls client} certificates do not).
 *
 * <p>Node-only calls: pushing a cluster plan ({@code JoinCluster}; the pusher must be a node of the plan this node
 * holds, or, for a node without one, of the plan pushed; a plan of another cluster is refused. A node that misses a
 * push this way, e.g. from a node added after its own plan, finds the plan by polling its seeds; what a node in the
 * cluster then adopts is the metadata group's plan, not the pushed one) and fetching a group's snapshot (the fetcher
 * must be a node of this node's plan). Calls that change the cluster or copy its data out ({@link
 * #CERTIFICATE_REQUIRED}) need a certificate from the CA, a node's or a client's, even where client certificates are
 * not required for records; with users and roles on, their roles decide instead ({@link AuthInterceptor}), except for
 * cluster init. Without TLS there is no identity to check and every call is allowed (see
 * docs/security.md).
 *
 * <pre>{@code
 * String refusal = gate.planPushRefusal(plan, current);    // null: allowed
 * }</pre>
 */
public final class MemberGate {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final MemberGate OPEN = new MemberGate(false, Set.of());
    /** Admin calls a caller without a certificate may not make when TLS is on. */
    static final Set<String> CERTIFICATE_REQUIRED = Set.of("InitCluster", "AddNode", "DecommissionNode",
            "HandOffLeadership", "ExportGroup");
    /**
     * With users and roles on, the roles decide the others; {@code InitCluster} still needs a certificate, as a
     * node waiting for it has no users yet.
     */
    static final Set<String> CERTIFICATE_REQUIRED_WITH_USERS = Set.of("InitCluster");

    private final boolean enforced;
    private final Set<String> certificateRequired;

    private MemberGate(boolean enforced, Set<String> certificateRequired) {
        this.enforced = enforced;
        this.certificateRequired = certificateRequired;
    }

    /** The gate for a node: enforced with TLS on; {@code users}: whether users and roles are on too. */
    public static MemberGate of(NodeTls tls, boolean users) {
        return !tls.enabled() ? OPEN : new MemberGate(true, users ? CERTIFICATE_REQUIRED_WITH_USERS
                : CERTIFICATE_REQUIRED);
    }

    /** A gate that allows everything (TLS off). */
    public static MemberGate open() {
        return OPEN;
    }

    /**
     * The interceptor for the services whose calls ask who calls (admin, snapshot transfer): it puts the caller's
     * certificate into the call's context ({@link CallerCertificate#current()}) and, with TLS on, refuses the calls
     * in {@link #CERTIFICATE_REQUIRED} from a caller without one ({@code UNAUTHENTICATED}).
     */
    public ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                X509Certificate cert = CallerCertificate.of(call);
                String method = call.getMethodDescriptor().getBareMethodName();
                if (enforced && cert == null && certificateRequired.contains(method)) {
                    call.close(Status.UNAUTHENTICATED.withDescription(method + " needs a certificate from the "
                            + "cluster's CA (a client certificate: PARTITA_TLS_CERT and PARTITA_TLS_KEY, or "
                            + "ClientConfig.tlsIdentity)"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return CallerCertificate.startWith(cert, call, headers, next);
            }
        };
    }

    /**
     * Why the current caller may not push {@code pushed} to a node holding {@code current}, or null if it may.
     */
    public String planPushRefusal(ClusterPlan pushed, Optional<ClusterPlan> current) {
        if (!enforced) {
            return null;
        }
        String caller = nodeIdOfCaller();
        if (caller == null) {
            return callerProblem("push a cluster plan");
        }
        if (current.isPresent() && !current.get().getClusterId().equals(pushed.getClusterId())) {
            return "node " + caller + " pushed a plan of cluster " + pushed.getClusterId() + ", but this node is a "
                    + "member of cluster " + current.get().getClusterId();
        }
        // A plan-holding node trusts only the nodes it knows: a certificate from the CA alone must not let a
        // stranger rewrite the cluster with a plan naming itself.
        ClusterPlan known = current.orElse(pushed);
        if (PlanView.node(known, caller).isEmpty()) {
            return "node " + caller + " is not a node of cluster " + known.getClusterId() + (current.isPresent()
                    ? " (plan version " + known.getVersion() + ")" : "") + " and may not push its plan";
        }
        return null;
    }

    /** Why the current caller may not fetch a snapshot from a node holding {@code current}, or null if it may. */
    public String snapshotFetchRefusal(Optional<ClusterPlan> current) {
        if (!enforced) {
            return null;
        }
        String caller = nodeIdOfCaller();
        if (caller == null) {
            return callerProblem("fetch a snapshot");
        }
        if (current.isEmpty() || PlanView.node(current.get(), caller).isEmpty()) {
            return "node " + caller + " is not a node of this node's cluster and may not fetch its snapshots";
        }
        return null;
    }

    private static String callerProblem(String what) {
        X509Certificate cert = CallerCertificate.current();
        return cert == null ? "only a node of the cluster may " + what + ", and the caller presented no certificate"
                : "only a node of the cluster may " + what + ", and the caller's certificate ("
                + cert.getSubjectX500Principal().getName() + ") is not a node certificate (no TLS server use)";
    }

    /** Whether the current caller presented a node certificate (TLS on). */
    public boolean callerIsNode() {
        return nodeIdOfCaller() != null;
    }

    /** The node id the caller's certificate proves, or null without a node certificate. */
    static String nodeIdOfCaller() {
        X509Certificate cert = CallerCertificate.current();
        return cert == null ? null : nodeIdOf(cert);
    }

    /** The node id a (CA-checked) certificate proves, or null if it is not a node certificate. */
    static String nodeIdOf(X509Certificate cert) {
        return allowsServerUse(cert) ? commonName(cert.getSubjectX500Principal()) : null;
    }

    private static boolean allowsServerUse(X509Certificate cert) {
        try {
            List<String> uses = cert.getExtendedKeyUsage();
            return uses == null || uses.contains(SERVER_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String commonName(X500Principal principal) {
        for (String part : principal.getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }
}
