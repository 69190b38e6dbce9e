package io.partita.bench.driver;

import io.partita.bench.Workload;
import java.util.List;
import java.util.Locale;

/** The stores the generator can drive ({@code --target}), each with the driver that opens it. */
public enum Target {
    /** A Partita cluster (the default). */
    PARTITA {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, int threads, Workload workload) {
            return new PartitaDriver(hosts, timeoutMs, workload);
        }
    },
    /** An etcd cluster, through jetcd. The only target that scans (a key range of the set's prefix). */
    ETCD {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, int threads, Workload workload) {
            return new EtcdDriver(hosts, timeoutMs, workload);
        }

        @Override
        public boolean canScan() {
            return true;
        }
    },
    /** One Redis server, through Jedis; a record is a hash. */
    REDIS {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, int threads, Workload workload) {
            return new RedisDriver(hosts, timeoutMs, threads, workload);
        }
    },
    /** memcached, through xmemcached: the in-memory upper bound. */
    MEMCACHED {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, int threads, Workload workload) {
            return new MemcachedDriver(hosts, timeoutMs, threads, workload);
        }
    };

    /**
     * A driver for the store at {@code hosts}.
     *
     * @param hosts     {@code host:port} of one or more servers
     * @param timeoutMs total time budget of one operation
     * @param threads   worker threads that will share the driver (for clients with one request per connection)
     * @throws RuntimeException if the store cannot be reached (for clients that connect eagerly)
     */
    public abstract StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, int threads, Workload workload);

    /** Whether the driver implements {@link StoreDriver#scan} (workload E and other mixes with scans). */
    public boolean canScan() {
        return false;
    }

    /** The name as given on the command line and shown in the report: {@code partita}, {@code etcd}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
