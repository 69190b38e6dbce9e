package io.partita.bench.ycsb;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.RecordExistsAction;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * Partita for the standard YCSB client: {@code java -cp ... site.ycsb.Client -db io.partita.bench.ycsb.PartitaYcsbDb
 * -P bench/ycsb/workloada ...} (the full command is in bench/README.md).
 *
 * <p>A YCSB record {@code (table, key)} is the Partita record {@code Key(namespace, table, key)} with a string user
 * key; each YCSB field is a bytes bin of the same name. {@code insert} creates or updates the record (so a load can
 * be repeated), {@code update} merges the given fields into an existing record ({@code NOT_FOUND} if there is none,
 * as YCSB means it), {@code read} reads the requested fields (all when YCSB asks for all), {@code delete} deletes.
 * {@code scan} answers {@code NOT_IMPLEMENTED}: Partita has no scan yet, so workload E cannot run.
 *
 * <p>Properties ({@code -p name=value}): {@code partita.hosts} (seeds, default {@code 127.0.0.1:7300}),
 * {@code partita.namespace} (default {@code test}; it must be configured on the cluster),
 * {@code partita.timeoutms} (total budget of one operation, retries included, default 2000). All the YCSB client's
 * threads share one Partita client. Failures are reported to YCSB under Partita's result-code name
 * ({@code Return=TIMEOUT}, {@code Return=IN_DOUBT}, ...), so YCSB's summary counts them by code.
 */
public final class PartitaYcsbDb extends DB {

    private static final Logger LOG = LoggerFactory.getLogger(PartitaYcsbDb.class);

    /** Property: comma-separated {@code host:port} seeds. */
    public static final String HOSTS = "partita.hosts";
    /** Property: the namespace of every record. */
    public static final String NAMESPACE = "partita.namespace";
    /** Property: total time budget of one operation in milliseconds. */
    public static final String TIMEOUT_MS = "partita.timeoutms";

    private String clientId;
    private PartitaClient client;
    private String namespace;
    private Policy readPolicy;
    private WritePolicy insertPolicy;
    private WritePolicy updatePolicy;

    @Override
    public void init() throws DBException {
        Properties p = getProperties();
        List<String> hosts = Arrays.asList(p.getProperty(HOSTS, "127.0.0.1:7300").split(","));
        namespace = p.getProperty(NAMESPACE, "test");
        long timeoutMs;
        try {
            timeoutMs = Long.parseLong(p.getProperty(TIMEOUT_MS, "2000"));
        } catch (NumberFormatException e) {
            throw new DBException(TIMEOUT_MS + " must be a number of milliseconds, got '" + p.getProperty(TIMEOUT_MS)
                + "'");
        }
        readPolicy = Policy.builder().timeoutMs(timeoutMs).build();
        insertPolicy = WritePolicy.builder().timeoutMs(timeoutMs).build();
        updatePolicy = WritePolicy.builder().timeoutMs(timeoutMs).existsAction(RecordExistsAction.UPDATE_ONLY).build();
        ClientConfig config;
        try {
            config = ClientConfig.builder().seeds(hosts).defaultPolicy(readPolicy).defaultWritePolicy(insertPolicy)
                .fromEnvironment(System.getenv()).build();
        } catch (IllegalArgumentException e) {
            throw new DBException(HOSTS + ": " + e.getMessage());
        }
        String id = String.join(",", hosts) + "|" + timeoutMs;
        try {
            client = SharedClients.acquire(id, config);
        } catch (PartitaException e) {
            throw new DBException("cannot reach the Partita cluster at " + String.join(",", hosts) + ": "
                + e.getMessage());
        }
        clientId = id;
    }

    @Override
    public void cleanup() {
        if (clientId != null) {
            SharedClients.release(clientId);
            clientId = null;
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            Record r = fields == null ? client.get(readPolicy, key(table, key))
                : client.get(readPolicy, key(table, key), fields.toArray(new String[0]));
            if (r == null) {
                return Status.NOT_FOUND;
            }
            r.bins().forEach((name, value) -> result.put(name, iterator(value)));
            return Status.OK;
        } catch (PartitaException e) {
            return status(e);
        }
    }

    @Override
    public Status scan(String table, String startKey, int recordCount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return put(updatePolicy, table, key, values);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return put(insertPolicy, table, key, values);
    }

    @Override
    public Status delete(String table, String key) {
        try {
            return client.delete(insertPolicy, key(table, key)) ? Status.OK : Status.NOT_FOUND;
        } catch (PartitaException e) {
            return status(e);
        }
    }

    private Status put(WritePolicy policy, String table, String key, Map<String, ByteIterator> values) {
        Map<String, Object> bins = new LinkedHashMap<>(values.size() * 2);
        values.forEach((name, value) -> bins.put(name, value.toArray()));
        try {
            client.put(policy, key(table, key), bins);
            return Status.OK;
        } catch (PartitaException e) {
            return status(e);
        }
    }

    private Key key(String table, String key) {
        return new Key(namespace, table, key);
    }

    private static ByteIterator iterator(Object value) {
        return value instanceof byte[] ? new ByteArrayByteIterator((byte[]) value)
            : new StringByteIterator(String.valueOf(value));
    }

    /** YCSB's status for a failure: NOT_FOUND as YCSB's own, anything else under Partita's code name. */
    static Status status(PartitaException e) {
        if (e.resultCode() == ResultCode.KEY_NOT_FOUND) {
            return Status.NOT_FOUND;
        }
        LOG.debug("operation failed", e);
        return new Status(e.resultCode().name(), e.getMessage());
    }
}
