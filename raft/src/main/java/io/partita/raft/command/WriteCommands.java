package io.partita.raft.command;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.partita.engine.operate.Operation;
import io.partita.engine.operate.OperationCodec;
import io.partita.engine.record.BinCodec;
import io.partita.engine.record.CorruptRecordException;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RestorePolicy;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.proto.BatchResult;
import io.partita.raft.command.proto.CommandResult;
import io.partita.raft.command.proto.OperateResult;
import io.partita.raft.command.proto.WriteCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between the log's {@link WriteCommand} messages and the engine's {@link WriteOp}s and outcomes.
 *
 * <p>Every enum that reaches the log is mapped by an explicit switch to its number in {@code commands.proto}, never by
 * {@code ordinal()}: reordering or adding an engine constant must not change what entries already in a log mean.
 * {@code WriteCommandsGoldenTest} pins the numbers.
 */
public final class WriteCommands {
    private WriteCommands() {
    }

    public static WriteCommand toCommand(WriteOp op) {
        return toCommand(op, payload(op));
    }

    /** The op's variable part in its log encoding: an operate's operations, else its bins (null when none). */
    private static byte[] payload(WriteOp op) {
        if (op.kind() == WriteKind.OPERATE) {
            return OperationCodec.encode(op.operations());
        }
        return op.bins().isEmpty() ? null : BinCodec.encodeBins(op.bins());
    }

    /**
     * Builds the command with its payload the caller already encoded (it needed the bins' size, or had to know that
     * an operate's arguments encode): {@link OperationCodec} operations for an operate, else {@link BinCodec} bins.
     */
    public static WriteCommand toCommand(WriteOp op, byte[] encodedPayload) {
        boolean operate = op.kind() == WriteKind.OPERATE;
        byte[] encodedBins = operate ? null : encodedPayload;
        WriteCommand.Builder b = WriteCommand.newBuilder()
                .setKind(kind(op.kind()))
                .setNamespace(op.namespace())
                .setDigest(UnsafeByteOperations.unsafeWrap(op.digest()))
                .setExistsAction(existsAction(op.existsAction()))
                .setExpectedGeneration(op.expectedGeneration())
                .setVoidTimeMs(op.voidTimeMs())
                .setKeepVoidTime(op.keepVoidTime())
                .setBins(encodedBins == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(encodedBins))
                .setMaxRecordSize(op.maxRecordSize())
                .setSet(op.set());
        if (op.restore() != null) {
            b.setRecord(UnsafeByteOperations.unsafeWrap(op.restore().encoded()))
                    .setRestorePolicy(restorePolicy(op.restore().policy()));
        }
        if (op.truncate() != null) {
            b.setTruncateBeforeMs(op.truncate().beforeMs())
                    .setTruncateFromPartition(op.truncate().fromPartition())
                    .setTruncateToPartition(op.truncate().toPartition());
        }
        if (operate) {
            b.setOperations(UnsafeByteOperations.unsafeWrap(encodedPayload));
        }
        return b.build();
    }

    /**
     * The engine's op for a command of the log.
     *
     * @throws io.partita.engine.record.CorruptRecordException if a RESTORE carries a record that does not decode
     *                                                         (the front end validates it before proposing)
     * @throws CorruptCommandException                         if the command carries an enum number this version
     *                                                         does not know
     */
    public static WriteOp toOp(WriteCommand c) {
        WriteKind kind = kind(c);
        if (kind == WriteKind.RESTORE) {
            byte[] encoded = c.getRecord().toByteArray();
            return WriteOp.restore(c.getNamespace(), c.getDigest().toByteArray(), new WriteOp.Restore(
                    RecordCodec.decode(encoded), encoded, restorePolicy(c)));
        }
        if (kind == WriteKind.TRUNCATE) {
            try {
                return WriteOp.truncate(c.getNamespace(), new WriteOp.Truncate(c.getSet(), c.getTruncateBeforeMs(),
                        c.getTruncateFromPartition(), c.getTruncateToPartition()));
            } catch (IllegalArgumentException e) {
                throw new CorruptCommandException("log command's truncate is malformed: " + e.getMessage());
            }
        }
        if (kind == WriteKind.EXPIRE) {
            return WriteOp.expire(c.getNamespace(), c.getDigest().toByteArray(), c.getExpectedGeneration(),
                    c.getVoidTimeMs());
        }
        if (kind == WriteKind.OPERATE) {
            List<Operation> operations;
            try {
                operations = OperationCodec.decode(c.getOperations().toByteArray());
            } catch (CorruptRecordException e) {
                throw new CorruptCommandException("log command's operations do not decode: " + e.getMessage());
            }
            return WriteOp.operate(c.getNamespace(), c.getSet(), c.getDigest().toByteArray(), existsAction(c),
                    c.getExpectedGeneration(), c.getVoidTimeMs(), c.getKeepVoidTime(), operations,
                    c.getMaxRecordSize());
        }
        return WriteOp.write(
                kind,
                c.getNamespace(),
                c.getSet(),
                c.getDigest().toByteArray(),
                existsAction(c),
                c.getExpectedGeneration(),
                c.getVoidTimeMs(),
                c.getKeepVoidTime(),
                c.getBins().isEmpty() ? java.util.Map.of() : BinCodec.decodeBins(c.getBins().toByteArray()),
                c.getMaxRecordSize());
    }

    private static io.partita.raft.command.proto.WriteKind kind(WriteKind kind) {
        return switch (kind) {
            case PUT -> io.partita.raft.command.proto.WriteKind.PUT;
            case DELETE -> io.partita.raft.command.proto.WriteKind.DELETE;
            case TOUCH -> io.partita.raft.command.proto.WriteKind.TOUCH;
            case RESTORE -> io.partita.raft.command.proto.WriteKind.RESTORE;
            case OPERATE -> io.partita.raft.command.proto.WriteKind.OPERATE;
            case EXPIRE -> io.partita.raft.command.proto.WriteKind.EXPIRE;
            case TRUNCATE -> io.partita.raft.command.proto.WriteKind.TRUNCATE;
        };
    }

    private static WriteKind kind(WriteCommand c) {
        return switch (c.getKind()) {
            case PUT -> WriteKind.PUT;
            case DELETE -> WriteKind.DELETE;
            case TOUCH -> WriteKind.TOUCH;
            case RESTORE -> WriteKind.RESTORE;
            case OPERATE -> WriteKind.OPERATE;
            case EXPIRE -> WriteKind.EXPIRE;
            case TRUNCATE -> WriteKind.TRUNCATE;
            case UNRECOGNIZED -> throw unknown("write kind", c.getKindValue());
        };
    }

    private static io.partita.raft.command.proto.ExistsAction existsAction(ExistsAction action) {
        return switch (action) {
            case CREATE_OR_UPDATE -> io.partita.raft.command.proto.ExistsAction.CREATE_OR_UPDATE;
            case UPDATE_ONLY -> io.partita.raft.command.proto.ExistsAction.UPDATE_ONLY;
            case REPLACE -> io.partita.raft.command.proto.ExistsAction.REPLACE;
            case CREATE_ONLY -> io.partita.raft.command.proto.ExistsAction.CREATE_ONLY;
        };
    }

    private static ExistsAction existsAction(WriteCommand c) {
        return switch (c.getExistsAction()) {
            case CREATE_OR_UPDATE -> ExistsAction.CREATE_OR_UPDATE;
            case UPDATE_ONLY -> ExistsAction.UPDATE_ONLY;
            case REPLACE -> ExistsAction.REPLACE;
            case CREATE_ONLY -> ExistsAction.CREATE_ONLY;
            case UNRECOGNIZED -> throw unknown("exists action", c.getExistsActionValue());
        };
    }

    private static io.partita.raft.command.proto.RestorePolicy restorePolicy(RestorePolicy policy) {
        return switch (policy) {
            case REPLACE -> io.partita.raft.command.proto.RestorePolicy.RESTORE_REPLACE;
            case CREATE_ONLY -> io.partita.raft.command.proto.RestorePolicy.RESTORE_CREATE_ONLY;
            case GENERATION -> io.partita.raft.command.proto.RestorePolicy.RESTORE_GENERATION;
        };
    }

    private static RestorePolicy restorePolicy(WriteCommand c) {
        return switch (c.getRestorePolicy()) {
            case RESTORE_REPLACE -> RestorePolicy.REPLACE;
            case RESTORE_CREATE_ONLY -> RestorePolicy.CREATE_ONLY;
            case RESTORE_GENERATION -> RestorePolicy.GENERATION;
            case UNRECOGNIZED -> throw unknown("restore policy", c.getRestorePolicyValue());
        };
    }

    /** A number written by a newer version (or a corrupt entry): applying a guess would diverge the replicas. */
    private static CorruptCommandException unknown(String field, int number) {
        return new CorruptCommandException("log command has " + field + " number " + number + ", which this version"
                + " of Partita does not know; run the version that wrote the log (or a newer one) on this node");
    }

    public static List<WriteOp> toOps(List<WriteCommand> commands) {
        List<WriteOp> ops = new ArrayList<>(commands.size());
        for (WriteCommand c : commands) {
            ops.add(toOp(c));
        }
        return ops;
    }

    public static BatchResult toResult(List<WriteOutcome> outcomes) {
        BatchResult.Builder b = BatchResult.newBuilder();
        for (WriteOutcome o : outcomes) {
            CommandResult.Builder r = CommandResult.newBuilder()
                    .setCode(o.code().code())
                    .setGeneration(o.generation())
                    .setExisted(o.existed());
            if (o.operated() != null) {
                WriteOutcome.Operated operated = o.operated();
                r.setOperate(OperateResult.newBuilder()
                        .setResults(operated.results().isEmpty() ? ByteString.EMPTY
                                : UnsafeByteOperations.unsafeWrap(BinCodec.encodeValue(operated.results(), "results")))
                        .setVoidTimeMs(operated.voidTimeMs())
                        .setError(operated.error()));
            }
            b.addResults(r);
        }
        return b.build();
    }

    private static WriteOutcome.Operated operated(OperateResult r) {
        List<Object> results = List.of();
        if (!r.getResults().isEmpty()) {
            byte[] bytes = r.getResults().toByteArray();
            @SuppressWarnings("unchecked")
            List<Object> decoded = (List<Object>) BinCodec.decodeValue(bytes, 0, bytes.length);
            results = decoded;
        }
        return new WriteOutcome.Operated(results, r.getVoidTimeMs(), r.getError());
    }

    public static List<WriteOutcome> fromResult(BatchResult result) {
        List<WriteOutcome> outcomes = new ArrayList<>(result.getResultsCount());
        for (CommandResult r : result.getResultsList()) {
            outcomes.add(new WriteOutcome(ResultCode.fromCode(r.getCode()), r.getGeneration(), r.getExisted(),
                    r.hasOperate() ? operated(r.getOperate()) : null));
        }
        return outcomes;
    }
}
