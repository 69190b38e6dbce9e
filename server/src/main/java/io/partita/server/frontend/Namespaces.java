package io.partita.server.frontend;

import io.partita.protocol.ResultCode;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The namespaces this node serves, and the per-namespace rules applied at the leader (TTL, size limit). */
public final class Namespaces {
    /** TTL value meaning "never expire". */
    static final long TTL_NEVER = -1;
    /** TTL value meaning "keep the record's current expiry". */
    static final long TTL_KEEP = -2;

    private final Map<String, NamespaceConfig> byName = new LinkedHashMap<>();

    public Namespaces(List<NamespaceConfig> namespaces) {
        for (NamespaceConfig ns : namespaces) {
            byName.put(ns.name(), ns);
        }
    }

    NamespaceConfig require(String name) throws RequestException {
        if (name.isEmpty()) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "the key has no namespace");
        }
        NamespaceConfig ns = byName.get(name);
        if (ns == null) {
            throw new RequestException(ResultCode.NAMESPACE_NOT_FOUND, "namespace '" + name
                    + "' is not configured; this cluster has " + byName.keySet());
        }
        return ns;
    }

    /** The configured namespaces' names. */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(byName.keySet());
    }

    public Iterable<NamespaceConfig> all() {
        return byName.values();
    }

    public long largestMaxRecordSize() {
        return byName.values().stream().mapToLong(NamespaceConfig::maxRecordSize).max().orElse(1 << 20);
    }

    /**
     * The expiry a write sets, in ms since epoch (0 = never), decided at the leader from its clock.
     * For {@link #TTL_KEEP} this is the expiry a newly created record gets; existing records keep theirs.
     */
    static long voidTimeMs(NamespaceConfig ns, long ttlSeconds, long nowMs) throws RequestException {
        long seconds;
        if (ttlSeconds == 0 || ttlSeconds == TTL_KEEP) {
            seconds = ns.defaultTtlSeconds();
        } else if (ttlSeconds == TTL_NEVER) {
            seconds = 0;
        } else if (ttlSeconds > 0) {
            seconds = ttlSeconds;
        } else {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "ttl " + ttlSeconds
                    + " is not valid: use seconds > 0, 0 (namespace default), -1 (never expire) or -2 (keep)");
        }
        if (seconds > 100L * 365 * 24 * 3600) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "ttl " + seconds + "s is more than 100 years");
        }
        return seconds == 0 ? 0 : nowMs + seconds * 1000;
    }
}
