package io.partita.bench.driver;

import io.partita.bench.Workload;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.util.List;
import java.util.Map;

/**
 * Drives Partita through {@link PartitaClient}'s sync API: one client for all threads, which fetches the cluster map
 * from the first seed that answers and sends each request to the leader of its key's group. Keys are
 * {@code Key(namespace, set, index)} with a long user key; a put writes every bin (create or update); a get reads
 * all bins. {@code --timeout-ms} is the client's total budget per operation, its retries included.
 */
public final class PartitaDriver implements StoreDriver<Key, Map<String, Object>> {

    private final PartitaClient client;
    private final Workload workload;
    private final String endpoints;

    /**
     * Connects to the cluster.
     *
     * @throws RuntimeException if no seed answers
     */
    public PartitaDriver(List<String> hosts, long timeoutMs, Workload workload) {
        this(hosts, timeoutMs, workload, true);
    }

    /**
     * Connects to the cluster.
     *
     * @param multiplex whether operations travel on Multiplex streams (see {@link ClientConfig#multiplex()})
     * @throws RuntimeException if no seed answers
     */
    public PartitaDriver(List<String> hosts, long timeoutMs, Workload workload, boolean multiplex) {
        this.client = PartitaClient.connect(ClientConfig.builder()
            .seeds(hosts)
            .fromEnvironment(System.getenv()) // PARTITA_TLS_*, PARTITA_USER, as the partita commands
            .multiplex(multiplex)
            .defaultPolicy(Policy.builder().timeoutMs(timeoutMs).build())
            .defaultWritePolicy(WritePolicy.builder().timeoutMs(timeoutMs).build())
            .build());
        this.workload = workload;
        this.endpoints = String.join(",", hosts);
    }

    /** The report's code for a Partita result code, e.g. {@code TIMEOUT(9)}. */
    public static ErrorCode code(ResultCode resultCode) {
        return new ErrorCode(resultCode.name(), resultCode.code());
    }

    @Override
    public Key key(long index) {
        return workload.key(index);
    }

    @Override
    public Map<String, Object> value(Map<String, Object> bins) {
        return bins;
    }

    @Override
    public void put(Key key, Map<String, Object> bins) throws StoreException {
        try {
            client.put(key, bins);
        } catch (PartitaException e) {
            throw new StoreException(code(e.resultCode()), e.getMessage(), e);
        }
    }

    /** One operate call: read every bin and write the new ones, atomically (one Raft log entry). */
    @Override
    public boolean readModifyWrite(Key key, Map<String, Object> bins) throws StoreException {
        Operation[] ops = new Operation[bins.size() + 1];
        ops[0] = Operation.get();
        int i = 1;
        for (Map.Entry<String, Object> bin : bins.entrySet()) {
            ops[i++] = Operation.put(bin.getKey(), bin.getValue());
        }
        try {
            return client.operate(null, key, ops).result(0) != null;
        } catch (PartitaException e) {
            throw new StoreException(code(e.resultCode()), e.getMessage(), e);
        }
    }

    @Override
    public boolean get(Key key) throws StoreException {
        try {
            return client.get(key) != null;
        } catch (PartitaException e) {
            if (e.resultCode() == ResultCode.KEY_NOT_FOUND) {
                return false;
            }
            throw new StoreException(code(e.resultCode()), e.getMessage(), e);
        }
    }

    @Override
    public String endpoints() {
        return endpoints;
    }

    /** Like the default, but a namespace the cluster does not serve gets its own message. */
    @Override
    public String probe() {
        try {
            client.exists(workload.key(0));
            return null;
        } catch (PartitaException e) {
            if (e.resultCode() == ResultCode.NAMESPACE_NOT_FOUND) {
                return "namespace '" + workload.namespace() + "' is not configured on the cluster at " + endpoints;
            }
            return StoreDriver.notServing(endpoints, code(e.resultCode()), e.getMessage());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
