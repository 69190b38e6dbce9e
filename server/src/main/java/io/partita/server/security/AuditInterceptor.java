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
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Set;

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
    /** Status calls: frequent (status, stats, the seed watcher) and they change nothing. */
    static final Set<String> READ_ONLY = Set.of("DescribeNode", "NodeStatus");
    /** The one record-service call that is administrative: it removes a namespace's or set's records. */
    static final String TRUNCATE = "Truncate";
    /** Longest request text kept in an entry (a pushed plan is long). */
    private static final int MAX_REQUEST_CHARS = 300;

    private final AuditLog log;
    private final boolean recordService;

    private AuditInterceptor(AuditLog log, boolean recordService) {
        this.log = log;
        this.recordService = recordService;
    }

    /** For the admin and snapshot-transfer services. */
    public static AuditInterceptor forAdmin(AuditLog log) {
        return new AuditInterceptor(log, false);
    }

    /** For the record service: audits {@code Truncate} only, the other calls pass untouched. */
    public static AuditInterceptor forRecords(AuditLog log) {
        return new AuditInterceptor(log, true);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        boolean always = recordService ? TRUNCATE.equals(method) : !READ_ONLY.contains(method);
        if (recordService && !always) {
            return next.startCall(call, headers); // the hot path: no wrapping
        }
        Audited<Q, R> audited = new Audited<>(call, always);
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

        Audited(ServerCall<Q, R> call, boolean always) {
            super(call);
            this.always = always;
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
                    || answered == ResultCode.ROLE_VIOLATION || answered == ResultCode.NOT_AUTHENTICATED;
            if (always || refused) {
                String outcome = status.isOk() && answered != null ? answered.name() : status.getCode().name();
                String detail = status.isOk() ? answeredDetail : String.valueOf(status.getDescription());
                log.record(new AuditLog.Entry(getMethodDescriptor().getFullMethodName().replace("partita.v1.", ""),
                        caller(), address(), requestText(), outcome, detail));
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

        private String requestText() {
            if (!(request instanceof Message m)) {
                return "";
            }
            String text = TextFormat.shortDebugString(m);
            return text.length() <= MAX_REQUEST_CHARS ? text : text.substring(0, MAX_REQUEST_CHARS) + "...";
        }
    }

    private static boolean refusal(Status.Code code) {
        return code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED;
    }
}
