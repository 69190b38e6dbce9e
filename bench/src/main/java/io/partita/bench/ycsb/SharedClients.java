package io.partita.bench.ycsb;

import io.partita.client.ClientConfig;
import io.partita.client.PartitaClient;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link PartitaClient} per configuration for all the YCSB client's threads: YCSB creates one {@code DB} per
 * thread, but a Partita client already multiplexes concurrent requests over its connections and holds the cluster
 * map, so one per thread would only multiply connections and map refreshes. Reference-counted: the last
 * {@link #release} closes it.
 */
final class SharedClients {

    /** By the properties the configuration was built from (ClientConfig has no equality of its own). */
    private static final Map<String, Entry> CLIENTS = new HashMap<>();

    private static final class Entry {
        final PartitaClient client;
        int users;

        Entry(PartitaClient client) {
            this.client = client;
        }
    }

    private SharedClients() {
    }

    /**
     * The client for {@code id}, connected with {@code config} on first use.
     *
     * @throws io.partita.client.PartitaException if no seed answers
     */
    static synchronized PartitaClient acquire(String id, ClientConfig config) {
        Entry e = CLIENTS.get(id);
        if (e == null) {
            e = new Entry(PartitaClient.connect(config));
            CLIENTS.put(id, e);
        }
        e.users++;
        return e.client;
    }

    /** Gives back a client from {@link #acquire}; closes it when nobody else uses it. */
    static synchronized void release(String id) {
        Entry e = CLIENTS.get(id);
        if (e != null && --e.users == 0) {
            CLIENTS.remove(id);
            e.client.close();
        }
    }
}
