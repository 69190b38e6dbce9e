package io.partita.server.frontend;

import io.partita.engine.record.CorruptRecordException;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.RestoreOutcome;
import io.partita.engine.write.RestorePolicy;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ImportOutcome;
import io.partita.protocol.v1.ImportPolicy;
import io.partita.protocol.v1.ImportRecord;
import io.partita.protocol.v1.ImportRequest;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Turns an Import request into RESTORE writes, refusing it whole unless every record is valid: a record that does not
 * decode must never reach the log, where every replica would fail on it. Each record becomes its own write, so the
 * group writer packs them into log entries of its usual size.
 */
final class ImportPreparer {

    /** A validated import: the group all its records belong to and one RESTORE write per record, in request order. */
    record PreparedImport(int group, List<WriteOp> ops) {
    }

    private final Namespaces namespaces;

    ImportPreparer(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /**
     * The group of the request's records, from the first record's digest (checked again per record by
     * {@link #prepare}).
     */
    static int groupOf(ImportRequest request, IntUnaryOperator groupOfPartition) throws RequestException {
        return groupOfPartition.applyAsInt(KeyDigest.partitionId(digest(request.getRecords(0), 0)));
    }

    /**
     * Validates every record and builds its write.
     *
     * @throws RequestException PARAMETER_ERROR (records of several groups, bad digest, set or policy, a record that
     *                          does not decode), NAMESPACE_NOT_FOUND or RECORD_TOO_BIG, naming the record
     */
    PreparedImport prepare(ImportRequest request, IntUnaryOperator groupOfPartition) throws RequestException {
        RestorePolicy policy = policy(request.getPolicy());
        int group = groupOf(request, groupOfPartition);
        List<WriteOp> ops = new ArrayList<>(request.getRecordsCount());
        for (int i = 0; i < request.getRecordsCount(); i++) {
            ImportRecord r = request.getRecords(i);
            byte[] digest = digest(r, i);
            int recordGroup = groupOfPartition.applyAsInt(KeyDigest.partitionId(digest));
            if (recordGroup != group) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "record " + i + " belongs to Raft group "
                        + recordGroup + " but record 0 to group " + group + ": one Import request carries the records"
                        + " of one group only; split the records by group (PartitaClient.importRecords does)");
            }
            NamespaceConfig ns = namespaces.require(r.getNamespace());
            WriteOp.Restore restore = restore(r, i, policy, ns);
            ops.add(WriteOp.restore(ns.name(), digest, restore));
        }
        return new PreparedImport(group, ops);
    }

    private static WriteOp.Restore restore(ImportRecord r, int i, RestorePolicy policy, NamespaceConfig ns)
            throws RequestException {
        StoredRecord record;
        try {
            record = RecordCodec.decode(r.getRecord().toByteArray());
        } catch (CorruptRecordException e) {
            throw invalid(r, i, "does not decode (" + e.getMessage() + "); pass the record bytes exactly as "
                    + "ExportGroup returned them");
        }
        if (record.bins().isEmpty()) {
            throw invalid(r, i, "has no bins; a stored record always has at least one");
        }
        if (record.voidTimeMs() < 0 || record.lastUpdateMs() < 0) {
            throw invalid(r, i, "has a negative expiry or last-update time; stored records have neither");
        }
        if (record.generation() == 0) {
            throw invalid(r, i, "has generation 0; stored records start at generation 1");
        }
        if (!record.set().isEmpty() && !record.set().equals(r.getSet())) {
            throw invalid(r, i, "is stored in set '" + record.set() + "' but the request names set '" + r.getSet()
                    + "'; send the set the export reported");
        }
        try {
            // A record written in format version 1 has no stored set: it takes the request's. Re-encoding also
            // makes every re-send of the same record carry the same bytes.
            record = record.withSet(r.getSet());
        } catch (IllegalArgumentException e) {
            throw invalid(r, i, e.getMessage());
        }
        byte[] encoded = RecordCodec.encode(record);
        if (encoded.length > ns.maxRecordSize()) {
            throw new RequestException(ResultCode.RECORD_TOO_BIG, "record " + i + " (" + describe(r) + ") takes "
                    + encoded.length + " bytes; namespace '" + ns.name() + "' allows records up to "
                    + ns.maxRecordSize() + " (raise max-record-size to import it)");
        }
        return new WriteOp.Restore(record, encoded, policy);
    }

    private static byte[] digest(ImportRecord r, int i) throws RequestException {
        if (r.getDigest().size() != Limits.DIGEST_BYTES) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "record " + i + " has a digest of "
                    + r.getDigest().size() + " bytes; digests are " + Limits.DIGEST_BYTES + " bytes (RIPEMD-160)");
        }
        return r.getDigest().toByteArray();
    }

    private static RestorePolicy policy(ImportPolicy policy) throws RequestException {
        return switch (policy) {
            case IMPORT_REPLACE -> RestorePolicy.REPLACE;
            case IMPORT_CREATE_ONLY -> RestorePolicy.CREATE_ONLY;
            case IMPORT_GENERATION -> RestorePolicy.GENERATION;
            default -> throw new RequestException(ResultCode.PARAMETER_ERROR, "unknown import policy "
                    + policy + "; use IMPORT_REPLACE, IMPORT_CREATE_ONLY or IMPORT_GENERATION");
        };
    }

    /** The wire outcome of an applied restore. */
    static ImportOutcome outcome(RestoreOutcome outcome) {
        return switch (outcome) {
            case WRITTEN -> ImportOutcome.IMPORT_WRITTEN;
            case SKIPPED_EXISTS -> ImportOutcome.IMPORT_SKIPPED_EXISTS;
            case SKIPPED_GENERATION -> ImportOutcome.IMPORT_SKIPPED_GENERATION;
            case EXPIRED -> ImportOutcome.IMPORT_EXPIRED;
        };
    }

    private static RequestException invalid(ImportRecord r, int i, String problem) {
        return new RequestException(ResultCode.PARAMETER_ERROR, "record " + i + " (" + describe(r) + ") " + problem
                + "; nothing was imported");
    }

    private static String describe(ImportRecord r) {
        return r.getNamespace() + "/" + r.getSet() + "/" + HexFormat.of().formatHex(r.getDigest().toByteArray());
    }
}
