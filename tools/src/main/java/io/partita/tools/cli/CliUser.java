package io.partita.tools.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.UsersGrpc;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The user the {@code partita} commands log in as, on a cluster that runs with users and roles:
 *
 * <pre>
 * export PARTITA_USER=admin
 * export PARTITA_PASSWORD='...'      # e.g. from &lt;data-dir&gt;/initial-admin-password, or a secret store
 * </pre>
 *
 * Record commands pass it to the Java client ({@link ClientConfig.Builder#user}); admin commands log in at the first
 * node they call and send the token with every call ({@link #intercept}). Unset {@code PARTITA_USER}: no login.
 */
public final class CliUser implements ClientInterceptor {
    private static final long LOGIN_TIMEOUT_MS = 10_000;

    private final String user;
    private final String password;
    private volatile String token;

    private CliUser(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** The user a command's input gave (wrong password, no password): exit code 2 or 5. */
    public static final class LoginException extends RuntimeException {
        private final int exitCode;

        LoginException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** The user of {@code env}, or null without {@code PARTITA_USER}. */
    static CliUser fromEnvironment(Map<String, String> env) {
        ClientConfig.EnvironmentUser u;
        try {
            u = ClientConfig.EnvironmentUser.of(env);
        } catch (IllegalArgumentException e) {
            throw new LoginException(e.getMessage(), ExitCodes.USAGE); // a usage error of the command (exit 2)
        }
        return u == null ? null : new CliUser(u.name(), u.password());
    }

    /** {@code b} with the environment's TLS settings and user, if any. */
    public static ClientConfig.Builder apply(ClientConfig.Builder b) {
        fromEnvironment(System.getenv()); // refuses a missing password as the command's usage error first
        return b.fromEnvironment(System.getenv());
    }

    /** {@code b} sending the environment's user's token with every call, if there is a user. */
    public static NettyChannelBuilder intercept(NettyChannelBuilder b) {
        CliUser u = fromEnvironment(System.getenv());
        return u == null ? b : b.intercept(u);
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String t = method.getBareMethodName().equals("Login") ? null : token(next);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (t != null) {
                    headers.put(SessionHeader.TOKEN, t);
                }
                super.start(listener, headers);
            }
        };
    }

    /** The session token, logging in on {@code channel} the first time (null if the cluster has no users). */
    private synchronized String token(Channel channel) {
        if (token != null) {
            return token.isEmpty() ? null : token;
        }
        LoginResponse r;
        try {
            r = UsersGrpc.newBlockingStub(channel).withDeadlineAfter(LOGIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .login(LoginRequest.newBuilder().setUser(user).setPassword(password).build());
        } catch (StatusRuntimeException e) {
            return null; // unreachable or not a node: the call itself reports it
        }
        ResultCode code = ResultCode.fromCode(r.getStatus().getCode());
        if (code == ResultCode.SECURITY_NOT_ENABLED) {
            token = ""; // a cluster without users: calls go without a token
            return null;
        }
        if (code == ResultCode.NOT_AUTHENTICATED) {
            return null; // no users yet (cluster init has not run, or just ran): this call goes without one
        }
        if (code != ResultCode.OK) {
            throw new LoginException("cannot log in as user '" + user + "': " + code + ": "
                    + r.getStatus().getMessage(), ExitCodes.of(code));
        }
        token = r.getToken();
        return token;
    }
}
