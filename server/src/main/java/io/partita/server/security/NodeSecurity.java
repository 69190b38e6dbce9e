package io.partita.server.security;

import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.partita.engine.time.Clock;
import io.partita.server.cluster.PlanChanges;
import io.partita.server.cluster.PlanHolder;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What a node's {@code security} section turns on, in one place: the interceptors every service is wrapped in
 * (audit outermost, then who calls, then the service's own), the {@link Access} checks the services run, the
 * {@code Users} service, and the creation of the first user. With security off, the services get the audit
 * interceptor only and {@link Access#open()}.
 *
 * <pre>{@code
 * NodeSecurity security = NodeSecurity.of(config, plans, planChanges, clock, audit);
 * server.addService(security.records(new RecordService(..., security.access())));
 * server.addService(security.admin(adminService, members.interceptor()));
 * security.start(scheduler);
 * }</pre>
 */
public final class NodeSecurity {
    private static final Duration USER_CHANGE_WAIT = Duration.ofSeconds(5);
    private final Sessions sessions;
    private final Access access;
    private final AuditLog audit;
    private final UserService.PlanUpdater updater;
    private final SecurityBootstrap bootstrap;

    private NodeSecurity(Sessions sessions, Access access, AuditLog audit, UserService.PlanUpdater updater,
                         SecurityBootstrap bootstrap) {
        this.sessions = sessions;
        this.access = access;
        this.audit = audit;
        this.updater = updater;
        this.bootstrap = bootstrap;
    }

    public static NodeSecurity of(NodeConfig config, PlanHolder plans, PlanChanges changes, Clock clock,
                                  AuditLog audit) {
        // User changes (a revoke above all) take effect on every reachable node before the call returns.
        UserService.PlanUpdater updater = change -> changes.updateEverywhere(change, USER_CHANGE_WAIT);
        if (!config.security().enabled()) {
            return new NodeSecurity(null, Access.open(), audit, updater, null);
        }
        Sessions sessions = new Sessions(plans::current, config.security().sessionTtl(), clock::nowMs, () -> {
            try {
                changes.update(UnaryOperator.identity()); // reads the plan in force into this node's holder
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new NodeSecurity(sessions, Access.enforced(sessions, clock::nowMs), audit, updater,
                new SecurityBootstrap(plans::current, updater, config.initialAdminPasswordFile()));
    }

    public Access access() {
        return access;
    }

    /** The record service, with its audit of truncates and, with security on, its callers found. */
    public ServerServiceDefinition records(BindableService service) {
        return wrap(service, List.of(), AuditInterceptor.forRecords(audit, userOfToken()));
    }

    /** An administrative service: {@code inner} interceptors run after the caller is known. */
    public ServerServiceDefinition admin(BindableService service, ServerInterceptor... inner) {
        return wrap(service, List.of(inner), AuditInterceptor.forAdmin(audit, userOfToken()));
    }

    /** The {@code Users} service (answers SECURITY_NOT_ENABLED with security off). */
    public UserService users(Set<String> namespaces) {
        return new UserService(sessions, access, updater, namespaces);
    }

    /** Starts creating the cluster's first user, if security is on and the cluster has none. */
    public void start(ScheduledExecutorService scheduler) {
        if (bootstrap != null) {
            bootstrap.start(scheduler);
        }
    }

    private ServerServiceDefinition wrap(BindableService service, List<ServerInterceptor> inner,
                                         AuditInterceptor outer) {
        List<ServerInterceptor> chain = new ArrayList<>(inner); // ServerInterceptors: the last runs first
        if (sessions != null) {
            chain.add(new AuthInterceptor(sessions, access));
        }
        chain.add(outer);
        return ServerInterceptors.intercept(service, chain);
    }

    private Function<String, String> userOfToken() {
        return sessions == null ? token -> "-" : sessions::userNamedBy;
    }
}
