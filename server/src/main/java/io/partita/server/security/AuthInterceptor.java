package io.partita.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.partita.protocol.ResultCode;
import io.partita.server.frontend.RequestException;
import io.partita.protocol.auth.SessionHeader;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;

/**
 * Finds who makes each call when users and roles are on, and refuses calls from nobody: a node certificate makes
 * the caller that node, a {@link SessionHeader#TOKEN} the user it was issued to. The caller goes into the call's
 * context for {@link Access}; calls that only one role may make at all (cluster changes, exports) are checked here,
 * the record calls by the service per namespace and set.
 *
 * <p>Calls that need no caller: {@code Login}; the status reads {@code DescribeNode} and {@code NodeStatus}
 * (topology, no records; the plan's users are left out for anyone but a node); and the calls the {@link MemberGate}
 * already restricts to certificates ({@code InitCluster}, {@code JoinCluster}, {@code FetchSnapshot}). A token that
 * does not check out is refused even there (but not on {@code Login}): a client should learn at once that it must
 * log in again.
 */
public final class AuthInterceptor implements ServerInterceptor {
    static final Set<String> NO_CALLER_NEEDED = Set.of("Login", "DescribeNode", "NodeStatus", "InitCluster",
            "JoinCluster", "FetchSnapshot");
    /** Calls that need a cluster-wide privilege whatever they touch. */
    static final Map<String, Privilege> CLUSTER_PRIVILEGE = Map.of(
            "AddNode", Privilege.SYS_ADMIN,
            "DecommissionNode", Privilege.SYS_ADMIN,
            "HandOffLeadership", Privilege.SYS_ADMIN,
            "ExportGroup", Privilege.DATA_ADMIN);

    private final Sessions sessions;
    private final Access access;

    public AuthInterceptor(Sessions sessions, Access access) {
        this.sessions = sessions;
        this.access = access;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        if (method.equals("Login")) {
            return next.startCall(call, headers); // a token, even an expired one, must not stand in the way of a new one
        }
        Principal who;
        try {
            who = caller(call, headers);
            if (who == null && !NO_CALLER_NEEDED.contains(method)) {
                return refuse(call, Status.UNAUTHENTICATED, ResultCode.NOT_AUTHENTICATED, method + " needs a user: "
                        + "this cluster runs with users and roles (log in: ClientConfig.Builder.user, or "
                        + "PARTITA_USER and PARTITA_PASSWORD for the CLI)");
            }
            Privilege needed = CLUSTER_PRIVILEGE.get(method);
            if (needed != null && !access.allows(who, needed, "", "")) {
                return refuse(call, Status.PERMISSION_DENIED, ResultCode.ROLE_VIOLATION,
                        Access.refusal(who, needed, "", ""));
            }
        } catch (RequestException e) {
            return refuse(call, Status.UNAUTHENTICATED, e.code(), e.getMessage());
        }
        if (who == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(Access.PRINCIPAL, who), call, headers, next);
    }

    private Principal caller(ServerCall<?, ?> call, Metadata headers) throws RequestException {
        X509Certificate cert = CallerCertificate.of(call);
        String nodeId = cert == null ? null : MemberGate.nodeIdOf(cert);
        if (nodeId != null) {
            return Principal.node(nodeId);
        }
        String token = headers.get(SessionHeader.TOKEN);
        return token == null ? null : sessions.resolve(token);
    }

    /** The gRPC status a refused call closes with; its trailer carries the result code for the client. */
    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, ResultCode code,
                                                       String message) {
        Metadata trailers = new Metadata();
        trailers.put(SessionHeader.RESULT_CODE, Integer.toString(code.code()));
        call.close(status.withDescription(message), trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
