package io.partita.server.security;

import com.google.protobuf.ByteString;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.User;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the cluster's users once, on a node with {@code security.enabled} whose cluster has none yet (a new
 * cluster, or one that ran without security until now): a token key and user {@value #ADMIN} with every
 * administrative role, whose random password goes to {@code <data-dir>/initial-admin-password} (mode 0600)
 * before the change is proposed, so that it is never committed without the file that tells it. Every such node
 * tries (every second until the plan holds users); the metadata group takes one proposal, and the nodes whose
 * password is not the admin's delete their file.
 */
public final class SecurityBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityBootstrap.class);
    public static final String ADMIN = "admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Optional<ClusterPlan>> plans;
    private final UserService.PlanUpdater updater;
    private final Path passwordFile;
    private ScheduledFuture<?> task;

    public SecurityBootstrap(Supplier<Optional<ClusterPlan>> plans, UserService.PlanUpdater updater,
                             Path passwordFile) {
        this.plans = plans;
        this.updater = updater;
        this.passwordFile = passwordFile;
    }

    /** Tries every second until the plan this node holds has users. */
    public void start(ScheduledExecutorService scheduler) {
        task = scheduler.scheduleWithFixedDelay(this::tryOnce, 1, 1, TimeUnit.SECONDS);
    }

    void tryOnce() {
        Optional<ClusterPlan> plan = plans.get();
        if (plan.isEmpty()) {
            return; // not in a cluster yet
        }
        try {
            if (plan.get().hasSecurity()) {
                keepFileIfItsPassword(plan.get());
                task.cancel(false);
                return;
            }
            bootstrap();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot create the cluster's users yet: {}", e.toString());
        }
    }

    /**
     * One attempt. The password is the file's if an earlier attempt wrote one (that attempt's proposal may have
     * been committed even though it failed here), else a new one, written before the proposal.
     *
     * @return whether the cluster's admin now has this node's password
     */
    boolean bootstrap() throws IOException {
        String password = Files.exists(passwordFile)
                ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip() : null;
        if (password == null || Passwords.problem(password) != null) {
            password = randomPassword();
            DurableFiles.writeAtomically(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8),
                    DurableFiles.Access.OWNER_ONLY);
        }
        SecurityState state = SecurityState.newBuilder().setTokenKey(ByteString.copyFrom(randomBytes(32)))
                .addUsers(User.newBuilder().setName(ADMIN).setPasswordHash(Passwords.hash(password))
                        .setCredentialVersion(1)
                        .addGrants(cluster(Role.SYS_ADMIN)).addGrants(cluster(Role.USER_ADMIN))
                        .addGrants(cluster(Role.DATA_ADMIN)).addGrants(cluster(Role.READ_WRITE)))
                .build();
        ClusterPlan after = updater.update(p -> p.hasSecurity() ? p : p.toBuilder().setSecurity(state).build());
        return keepFileIfItsPassword(after);
    }

    /** Deletes the password file unless it holds the password of {@code plan}'s admin; true if it does. */
    private boolean keepFileIfItsPassword(ClusterPlan plan) throws IOException {
        if (!Files.exists(passwordFile)) {
            return false;
        }
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        boolean ours = plan.getSecurity().getUsersList().stream().anyMatch(u -> u.getName().equals(ADMIN)
                && Passwords.matches(u.getPasswordHash(), password));
        if (ours) {
            LOG.info("The cluster's users exist: user '{}' with the password in {} (log in, change it with "
                    + "'partita user passwd {}', then delete the file)", ADMIN, passwordFile, ADMIN);
        } else {
            Files.delete(passwordFile); // another node's users won, or the password has changed since
        }
        return ours;
    }

    private static Grant cluster(Role role) {
        return Grant.newBuilder().setRole(role.roleName()).build();
    }

    private static String randomPassword() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
