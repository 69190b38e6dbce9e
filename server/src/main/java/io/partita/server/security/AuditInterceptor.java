package io.partita.server.security;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.LoginRequest;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes an {@link AuditLog} entry when an audited call ends: the administrative calls (every method of the admin
 * and snapshot-transfer services but the read-only {@link #READ_ONLY} ones, and {@code Truncate}), and any call of
 * those services that was refused. The outcome is the answer's result code when the answer carries one (admin
 * answers report refusals that way), else the gRPC status.
 *
 * <p>Install it outermost ({@code ServerInterceptors.intercept(service, gate, audit)}): it then also sees the calls
 * the {@link MemberGate} refuses before they reach the service.
 */
public final class AuditInterceptor implements ServerInterceptor {
    /** Status and listing calls: frequent (status, stats, the seed watcher) and they change nothing. */
    static final Set<String> READ_ONLY = Set.of("DescribeNode", "NodeStatus", "ListUsers", "ListRoles");
    /** The one record-service call that is administrative: it removes a namespace's or set's records. */
    static final String TRUNCATE = "Truncate";
    /** Longest request text kept in an entry (a pushed plan is long). */
    private static final int MAX_REQUEST_CHARS = 300;

    private final AuditLog log;
    private final boolean recordService;
    private final Function<String, String> userOfToken;

    private AuditInterceptor(AuditLog log, boolean recordService, Function<String, String> userOfToken) {
        this.log = log;
        this.recordService = recordService;
        this.userOfToken = userOfToken;
    }

    /**
     * For the admin, snapshot-transfer and users services (logins, failed ones included, and user changes).
     *
     * @param userOfToken the user a session token names (even one no longer valid), or "-"
     */
    public static AuditInterceptor forAdmin(AuditLog log, Function<String, String> userOfToken) {
        return new AuditInterceptor(log, false, userOfToken);
    }

    /** For the record service: audits {@code Truncate} only, the other calls pass untouched. */
    public static AuditInterceptor forRecords(AuditLog log, Function<String, String> userOfToken) {
        return new AuditInterceptor(log, true, userOfToken);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        boolean always = recordService ? TRUNCATE.equals(method) : !READ_ONLY.contains(method);
        if (recordService && !always) {
            return next.startCall(call, headers); // the hot path: no wrapping
        }
        String token = headers.get(SessionHeader.TOKEN);
        Audited<Q, R> audited = new Audited<>(call, always, token == null ? "-" : userOfToken.apply(token));
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(audited, headers)) {
            @Override
            public void onMessage(Q message) {
                audited.request = message;
                super.onMessage(message);
            }
        };
    }

    /** The call, watched for its first answer and its end. */
    private final class Audited<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final boolean always;
        private volatile Object request;
        private volatile ResultCode answered;
        private volatile String answeredDetail = "";
        private final String user;

        Audited(ServerCall<Q, R> call, boolean always, String user) {
            super(call);
            this.always = always;
            this.user = user;
        }

        @Override
        public void sendMessage(R message) {
            if (answered == null && message instanceof Message m) {
                FieldDescriptor status = m.getDescriptorForType().findFieldByName("status");
                if (status != null && status.getType() == FieldDescriptor.Type.MESSAGE && m.hasField(status)
                        && m.getField(status) instanceof io.partita.protocol.v1.Status s) {
                    answered = ResultCode.fromCode(s.getCode());
                    answeredDetail = s.getMessage();
                }
            }
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            boolean refused = !status.isOk() && refusal(status.getCode())
                    || answered == ResultCode.ROLE_VIOLATION || answered == ResultCode.NOT_AUTHENTICATED
                    || answered == ResultCode.INVALID_CREDENTIAL || answered == ResultCode.EXPIRED_SESSION;
            if (always || refused) {
                String outcome = status.isOk() && answered != null ? answered.name() : status.getCode().name();
                String detail = status.isOk() ? answeredDetail : String.valueOf(status.getDescription());
                log.record(new AuditLog.Entry(getMethodDescriptor().getFullMethodName().replace("partita.v1.", ""),
                        caller(), user(), address(), requestText(), outcome, detail));
            }
            super.close(status, trailers);
        }

        private String caller() {
            X509Certificate cert = CallerCertificate.of(delegate());
            return cert == null ? "-" : cert.getSubjectX500Principal().getName();
        }

        private String address() {
            SocketAddress a = getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            return a == null ? "" : a.toString().replaceFirst("^/", "");
        }

        /** The session's user; for a login, the user it is for. */
        private String user() {
            if (request instanceof LoginRequest login) {
                return login.getUser();
            }
            return user;
        }

        private String requestText() {
            if (!(request instanceof Message m)) {
                return "";
            }
            String text = TextFormat.shortDebugString(redacted(m));
            return text.length() <= MAX_REQUEST_CHARS ? text : text.substring(0, MAX_REQUEST_CHARS) + "...";
        }
    }

    /** The request without what must not be logged: passwords, and the users and token key of a plan. */
    static Message redacted(Message m) {
        Message.Builder b = null;
        FieldDescriptor password = m.getDescriptorForType().findFieldByName("password");
        if (password != null && m.hasField(password)) {
            b = m.toBuilder().setField(password, "***");
        }
        FieldDescriptor plan = m.getDescriptorForType().findFieldByName("plan");
        if (plan != null && m.hasField(plan) && m.getField(plan) instanceof ClusterPlan p && p.hasSecurity()) {
            b = (b == null ? m.toBuilder() : b).setField(plan, p.toBuilder().clearSecurity().build());
        }
        return b == null ? m : b.build();
    }

    private static boolean refusal(Status.Code code) {
        return code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED;
    }
}
