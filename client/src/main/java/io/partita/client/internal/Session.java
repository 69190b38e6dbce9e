package io.partita.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.partita.client.PartitaException;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.UsersGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's session with a cluster that runs with users and roles: logs in, attaches the token to every call (as a
 * channel interceptor), and logs in again at half of the token's life, or at once when a node refuses the token
 * (expired, or revoked by a password change). Logins go to any node: every node checks every node's tokens.
 */
public final class Session implements ClientInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final long RETRY_MS = 2_000;

    private final String user;
    private final String password;
    private final long timeoutMs;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private Function<String, Channel> channels;
    private Supplier<List<String>> addresses;
    private volatile String token;

    public Session(String user, String password, long timeoutMs, ScheduledExecutorService scheduler) {
        this.user = user;
        this.password = password;
        this.timeoutMs = timeoutMs;
        this.scheduler = scheduler;
    }

    /** The current token, or null before the first login. */
    public String token() {
        return token;
    }

    /**
     * Logs in at the first of {@code addresses} that answers, then keeps the session renewed.
     *
     * @param channels  a channel to an address (its calls pass through this interceptor)
     * @param addresses the nodes to log in at, the first answering one is used
     * @throws PartitaException INVALID_CREDENTIAL for a wrong user or password, SECURITY_NOT_ENABLED if the cluster
     *                          runs without users, SERVER_ERROR if no node answers
     */
    public void start(Function<String, Channel> channels, Supplier<List<String>> addresses) {
        this.channels = channels;
        this.addresses = addresses;
        long expiresMs = login();
        scheduleRenewal(expiresMs);
    }

    /** Logs in again now, in the background (a node refused the token); concurrent requests share one login. */
    public void renewSoon() {
        if (channels != null && renewing.compareAndSet(false, true)) {
            scheduler.execute(this::renew);
        }
    }

    private void renew() {
        try {
            scheduleRenewal(login());
        } catch (PartitaException e) {
            LOG.warn("Cannot renew the session of user '{}': {}; trying again in {} ms", user, e.getMessage(),
                    RETRY_MS);
            scheduler.schedule(this::renew, RETRY_MS, TimeUnit.MILLISECONDS);
        } finally {
            renewing.set(false);
        }
    }

    private void scheduleRenewal(long expiresMs) {
        long inMs = Math.max(1_000, (expiresMs - System.currentTimeMillis()) / 2);
        scheduler.schedule(this::renewSoon, inMs, TimeUnit.MILLISECONDS);
    }

    private long login() {
        List<String> problems = new ArrayList<>();
        for (String address : addresses.get()) {
            LoginResponse r;
            try {
                r = UsersGrpc.newBlockingStub(channels.apply(address)).withDeadlineAfter(timeoutMs,
                        TimeUnit.MILLISECONDS).login(LoginRequest.newBuilder().setUser(user).setPassword(password)
                        .build());
            } catch (RuntimeException e) {
                problems.add(address + ": " + Cluster.describe(e));
                continue;
            }
            ResultCode code = ResultCode.fromCode(r.getStatus().getCode());
            if (code == ResultCode.OK) {
                token = r.getToken();
                return r.getExpiresMs();
            }
            if (code == ResultCode.NOT_AUTHENTICATED) { // the cluster's users are being created: another node
                problems.add(address + ": " + r.getStatus().getMessage());
                continue;
            }
            throw new PartitaException(code, "Cannot log in as user '" + user + "' at " + address + ": "
                    + r.getStatus().getMessage(), false, null);
        }
        throw new PartitaException(ResultCode.SERVER_ERROR, "Cannot log in as user '" + user + "': no node answered "
                + problems, false, null);
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                String t = token;
                if (t != null && !method.getBareMethodName().equals("Login")) {
                    headers.put(SessionHeader.TOKEN, t);
                }
                super.start(listener, headers);
            }
        };
    }
}
