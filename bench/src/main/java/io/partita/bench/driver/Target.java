package io.partita.bench.driver;

import io.partita.bench.Workload;
import java.util.List;
import java.util.Locale;

/** The stores the generator can drive ({@code --target}), each with the driver that opens it. */
public enum Target {
    /** A Partita cluster (the default). */
    PARTITA {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, Workload workload) {
            return new PartitaDriver(hosts, timeoutMs, workload);
        }
    },
    /** An etcd cluster, through jetcd. */
    ETCD {
        @Override
        public StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, Workload workload) {
            return new EtcdDriver(hosts, timeoutMs, workload);
        }
    };

    /**
     * A driver for the store at {@code hosts}.
     *
     * @param hosts     {@code host:port} of one or more servers
     * @param timeoutMs total time budget of one operation
     * @throws RuntimeException if the store cannot be reached (for clients that connect eagerly)
     */
    public abstract StoreDriver<?, ?> open(List<String> hosts, long timeoutMs, Workload workload);

    /** The name as given on the command line and shown in the report: {@code partita}, {@code etcd}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
