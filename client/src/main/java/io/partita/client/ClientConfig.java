package io.partita.client;

import io.partita.protocol.HostPort;
import io.partita.protocol.tls.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Settings of a {@link PartitaClient}. Immutable; build with {@link #builder()}.
 */
public final class ClientConfig {

    /** Default period of the cluster-map refresh: {@value} ms. */
    public static final long DEFAULT_TEND_INTERVAL_MS = 1000;
    /** Default connection timeout: {@value} ms. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 1000;
    /** Default number of connections to each node: {@value}. */
    public static final int DEFAULT_CONNECTIONS_PER_NODE = 1;
    /** Largest number of connections to each node: {@value}. */
    public static final int MAX_CONNECTIONS_PER_NODE = 64;

    private final List<String> seeds;
    private final Policy defaultPolicy;
    private final WritePolicy defaultWritePolicy;
    private final long tendIntervalMs;
    private final long connectTimeoutMs;
    private final int connectionsPerNode;
    private final boolean multiplex;
    /** The environment variable naming the user {@link Builder#fromEnvironment} logs in as. */
    public static final String ENV_USER = "PARTITA_USER";
    /** The environment variable holding that user's password. */
    public static final String ENV_PASSWORD = "PARTITA_PASSWORD";

    private final TlsSettings tls;
    private final String user;
    private final String password;

    private ClientConfig(Builder b) {
        if (b.seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed (host:port of a node's client listener) is needed");
        }
        if (b.defaultPolicy == null || b.defaultWritePolicy == null) {
            throw new IllegalArgumentException("default policies must not be null");
        }
        if (b.tendIntervalMs <= 0) {
            throw new IllegalArgumentException("tendIntervalMs must be > 0, got " + b.tendIntervalMs);
        }
        if (b.connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be > 0, got " + b.connectTimeoutMs);
        }
        if (b.user != null && b.tls == null) {
            throw new IllegalArgumentException("user needs tls(caFile): the password must not cross the network in "
                + "clear (and the nodes of a cluster with users run TLS)");
        }
        if (b.connectionsPerNode < 1 || b.connectionsPerNode > MAX_CONNECTIONS_PER_NODE) {
            throw new IllegalArgumentException("connectionsPerNode must be in 1.." + MAX_CONNECTIONS_PER_NODE
                + ", got " + b.connectionsPerNode);
        }
        this.seeds = Collections.unmodifiableList(new ArrayList<>(b.seeds));
        this.defaultPolicy = b.defaultPolicy;
        this.defaultWritePolicy = b.defaultWritePolicy;
        this.tendIntervalMs = b.tendIntervalMs;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.connectionsPerNode = b.connectionsPerNode;
        this.multiplex = b.multiplex;
        this.tls = b.tls;
        this.user = b.user;
        this.password = b.password;
    }

    /**
     * A user and password as the {@code partita} commands take them from the environment: {@value #ENV_USER} and
     * {@value #ENV_PASSWORD}.
     *
     * <pre>{@code
     * ClientConfig.EnvironmentUser u = ClientConfig.EnvironmentUser.of(System.getenv());   // null: no user
     * }</pre>
     *
     * @param name     the user
     * @param password the password (left out of {@link #toString})
     */
    public record EnvironmentUser(String name, String password) {
        /**
         * The user {@code env} names, or null without {@value #ENV_USER} (or with it empty).
         *
         * @throws IllegalArgumentException if {@value #ENV_USER} is set without {@value #ENV_PASSWORD}
         */
        public static EnvironmentUser of(java.util.Map<String, String> env) {
            String name = env.get(ENV_USER);
            if (name == null || name.isEmpty()) {
                return null;
            }
            String password = env.get(ENV_PASSWORD);
            if (password == null) {
                throw new IllegalArgumentException(ENV_USER + " is set but " + ENV_PASSWORD + " is not: export the "
                    + "password of user '" + name + "'");
            }
            return new EnvironmentUser(name, password);
        }

        @Override
        public String toString() {
            return "EnvironmentUser[name=" + name + "]";
        }
    }

    /** The user to log in as ({@link Builder#user}), or null to call without one. */
    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A builder with no seeds and default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Seed addresses, {@code host:port}, tried in order. */
    public List<String> seeds() {
        return seeds;
    }

    /** Policy of reads that are not given one. */
    public Policy defaultPolicy() {
        return defaultPolicy;
    }

    /** Policy of writes that are not given one. */
    public WritePolicy defaultWritePolicy() {
        return defaultWritePolicy;
    }

    /** Period of the background cluster-map refresh in milliseconds. */
    public long tendIntervalMs() {
        return tendIntervalMs;
    }

    /** Timeout of establishing a connection and of each cluster-map fetch, in milliseconds. */
    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /**
     * Connections (gRPC channels) the client opens to each node, used in turn. gRPC multiplexes many concurrent
     * requests on each connection, so requests are pipelined even with one; more connections spread the load over
     * more sockets and event-loop threads (client and server side), which helps heavy concurrent traffic.
     */
    public int connectionsPerNode() {
        return connectionsPerNode;
    }

    /**
     * Whether record operations travel on one long-lived Multiplex stream per connection, many per network message
     * (true, the default), or each as its own unary gRPC call (false). See {@link Builder#multiplex(boolean)}.
     */
    public boolean multiplex() {
        return multiplex;
    }

    /** The TLS files, or null for plaintext connections. See {@link Builder#tls(Path)}. */
    public TlsSettings tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "ClientConfig{seeds=" + seeds + ", defaultPolicy=" + defaultPolicy + ", defaultWritePolicy="
            + defaultWritePolicy + ", tendIntervalMs=" + tendIntervalMs + ", connectTimeoutMs=" + connectTimeoutMs
            + ", connectionsPerNode=" + connectionsPerNode + ", multiplex=" + multiplex + ", tls=" + tls + "}";
    }

    /** Builds a {@link ClientConfig}. */
    public static final class Builder {
        private final List<String> seeds = new ArrayList<>();
        private Policy defaultPolicy = Policy.defaults();
        private WritePolicy defaultWritePolicy = WritePolicy.defaults();
        private long tendIntervalMs = DEFAULT_TEND_INTERVAL_MS;
        private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int connectionsPerNode = DEFAULT_CONNECTIONS_PER_NODE;
        private boolean multiplex = true;
        private TlsSettings tls;
        private String user;
        private String password;

        private Builder() {
        }

        /**
         * TLS and user as the {@code partita} commands take them from {@code env}: {@code PARTITA_TLS_CA},
         * {@code PARTITA_TLS_CERT} and {@code PARTITA_TLS_KEY} ({@link TlsSettings#fromEnvironment}), and
         * {@value #ENV_USER} with {@value #ENV_PASSWORD}; e.g. {@code fromEnvironment(System.getenv())}.
         *
         * @throws IllegalArgumentException if {@value #ENV_USER} is set without {@value #ENV_PASSWORD}
         * @throws io.partita.protocol.tls.TlsConfigException if a TLS variable is wrong
         */
        public Builder fromEnvironment(java.util.Map<String, String> env) {
            tls(TlsSettings.fromEnvironment(env));
            EnvironmentUser u = EnvironmentUser.of(env);
            if (u != null) {
                user(u.name(), u.password());
            }
            return this;
        }

        /**
         * Logs in as {@code user} with {@code password}, as a cluster that runs with users and roles
         * ({@code security.enabled}) requires: at connect (a wrong password fails {@link PartitaClient#connect}
         * with {@link io.partita.protocol.ResultCode#INVALID_CREDENTIAL}), then again at half of each session's
         * life, and at once when a node refuses the session (expired, or the password changed). Every call
         * carries the session's token; an operation the user's roles do not allow fails with {@link
         * io.partita.protocol.ResultCode#ROLE_VIOLATION} and is not applied. Needs TLS ({@link #tls(Path)}):
         * the password must not cross the network in clear.
         */
        public Builder user(String user, String password) {
            if (user == null || user.isEmpty() || password == null) {
                throw new IllegalArgumentException("user needs a non-empty name and a password");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * Connects over TLS, accepting a node only with a certificate from a CA in {@code caFile} (PEM) that names
         * the host dialed (seed or map address); default plaintext. The nodes must run with {@code tls.enabled}.
         * A bad file fails {@link PartitaClient#connect(ClientConfig)} with an {@link IllegalArgumentException}
         * naming it; a node that fails the check fails the connect with a {@link PartitaException} saying why.
         */
        public Builder tls(Path caFile) {
            this.tls = TlsSettings.trusting(java.util.Objects.requireNonNull(caFile, "caFile"));
            return this;
        }

        /**
         * TLS as {@code settings} say, or plaintext for null; e.g. {@code tls(TlsSettings.fromEnvironment(
         * System.getenv()))} reads {@code PARTITA_TLS_CA}, {@code PARTITA_TLS_CERT} and {@code PARTITA_TLS_KEY}
         * as the {@code partita} commands do.
         */
        public Builder tls(TlsSettings settings) {
            this.tls = settings;
            return this;
        }

        /**
         * Presents this certificate (PEM chain) and key (unencrypted PKCS#8 PEM) to the nodes, which need one
         * when they run with {@code tls.client-auth}; requires {@link #tls(Path)}.
         */
        public Builder tlsIdentity(Path certFile, Path keyFile) {
            if (tls == null) {
                throw new IllegalArgumentException("tlsIdentity needs tls(caFile) first: a certificate is presented "
                        + "over TLS");
            }
            this.tls = tls.withIdentity(certFile, keyFile);
            return this;
        }

        /**
         * Adds seed addresses ({@code host:port}, IPv6 hosts in brackets) of nodes' client listeners.
         *
         * @throws IllegalArgumentException if an address is not {@code host:port} with a port in 1..65535
         */
        public Builder seeds(String... seeds) {
            for (String s : seeds) {
                this.seeds.add(checkAddress(s));
            }
            return this;
        }

        /** Adds seed addresses; see {@link #seeds(String...)}. */
        public Builder seeds(List<String> seeds) {
            return seeds(seeds.toArray(new String[0]));
        }

        /** Policy of reads that are not given one. */
        public Builder defaultPolicy(Policy policy) {
            this.defaultPolicy = policy;
            return this;
        }

        /** Policy of writes that are not given one. */
        public Builder defaultWritePolicy(WritePolicy policy) {
            this.defaultWritePolicy = policy;
            return this;
        }

        /** Period of the background cluster-map refresh in milliseconds; default 1000. */
        public Builder tendIntervalMs(long tendIntervalMs) {
            this.tendIntervalMs = tendIntervalMs;
            return this;
        }

        /** Timeout of establishing a connection and of each cluster-map fetch in milliseconds; default 1000. */
        public Builder connectTimeoutMs(long connectTimeoutMs) {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        /**
         * Connections to each node, 1..64; default 1. gRPC multiplexes many concurrent requests on each connection
         * (requests are pipelined); more connections spread load over more sockets and event-loop threads.
         */
        public Builder connectionsPerNode(int connectionsPerNode) {
            this.connectionsPerNode = connectionsPerNode;
            return this;
        }

        /**
         * How record operations (put, get, delete, exists, touch) travel; default true.
         *
         * <p>True: each connection carries one long-lived Multiplex stream. Operations bound for the same connection
         * queue and leave together in one message whenever a message is already being written (no timer: a lone
         * operation leaves at once), and the node answers those that complete together in one message. This cuts the
         * network messages, system calls and thread wake-ups per operation under concurrent load. Results, deadlines,
         * retries and in-doubt reporting are per operation, as with unary calls; if the stream breaks, every
         * operation in flight on it fails as a unary call would on a broken connection (a write is then in doubt).
         * Operations larger than 512 KiB are always sent as unary calls.
         *
         * <p>False: every attempt is its own unary gRPC call (e.g. to compare the two in a benchmark, or with a node
         * that does not serve Multiplex yet).
         */
        public Builder multiplex(boolean multiplex) {
            this.multiplex = multiplex;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException if there is no seed or a setting is out of range
         */
        public ClientConfig build() {
            return new ClientConfig(this);
        }

        private static String checkAddress(String address) {
            if (address == null) {
                throw new IllegalArgumentException("seed address must not be null");
            }
            String a = address.trim();
            if (!HostPort.isValid(a)) {
                throw new IllegalArgumentException("seed '" + address + "' is not host:port (e.g. 10.0.0.5:7000 or "
                    + "[::1]:7000)");
            }
            return a;
        }
    }
}
