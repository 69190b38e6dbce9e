package io.partita.raft.command;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.partita.engine.record.BinCodec;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RestorePolicy;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.proto.BatchResult;
import io.partita.raft.command.proto.CommandResult;
import io.partita.raft.command.proto.WriteCommand;
import java.util.ArrayList;
import java.util.List;

/** Translates between the log's {@link WriteCommand} messages and the engine's {@link WriteOp}s and outcomes. */
public final class WriteCommands {
    private WriteCommands() {
    }

    public static WriteCommand toCommand(WriteOp op) {
        return toCommand(op, op.bins().isEmpty() ? null : BinCodec.encodeBins(op.bins()));
    }

    /** Builds the command with bins the caller already encoded (it needed their size). */
    public static WriteCommand toCommand(WriteOp op, byte[] encodedBins) {
        WriteCommand.Builder b = WriteCommand.newBuilder()
                .setKind(io.partita.raft.command.proto.WriteKind.forNumber(op.kind().ordinal()))
                .setNamespace(op.namespace())
                .setDigest(UnsafeByteOperations.unsafeWrap(op.digest()))
                .setExistsAction(io.partita.raft.command.proto.ExistsAction.forNumber(op.existsAction().ordinal()))
                .setExpectedGeneration(op.expectedGeneration())
                .setVoidTimeMs(op.voidTimeMs())
                .setKeepVoidTime(op.keepVoidTime())
                .setBins(encodedBins == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(encodedBins))
                .setMaxRecordSize(op.maxRecordSize())
                .setSet(op.set());
        if (op.restore() != null) {
            b.setRecord(UnsafeByteOperations.unsafeWrap(op.restore().encoded()))
                    .setRestorePolicyValue(op.restore().policy().ordinal());
        }
        return b.build();
    }

    /**
     * The engine's op for a command of the log.
     *
     * @throws io.partita.engine.record.CorruptRecordException if a RESTORE carries a record that does not decode
     *                                                         (the front end validates it before proposing)
     */
    public static WriteOp toOp(WriteCommand c) {
        WriteKind kind = WriteKind.values()[c.getKindValue()];
        if (kind == WriteKind.RESTORE) {
            byte[] encoded = c.getRecord().toByteArray();
            return WriteOp.restore(c.getNamespace(), c.getDigest().toByteArray(), new WriteOp.Restore(
                    RecordCodec.decode(encoded), encoded, RestorePolicy.values()[c.getRestorePolicyValue()]));
        }
        return WriteOp.write(
                kind,
                c.getNamespace(),
                c.getSet(),
                c.getDigest().toByteArray(),
                ExistsAction.values()[c.getExistsActionValue()],
                c.getExpectedGeneration(),
                c.getVoidTimeMs(),
                c.getKeepVoidTime(),
                c.getBins().isEmpty() ? java.util.Map.of() : BinCodec.decodeBins(c.getBins().toByteArray()),
                c.getMaxRecordSize());
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
            b.addResults(CommandResult.newBuilder()
                    .setCode(o.code().code())
                    .setGeneration(o.generation())
                    .setExisted(o.existed()));
        }
        return b.build();
    }

    public static List<WriteOutcome> fromResult(BatchResult result) {
        List<WriteOutcome> outcomes = new ArrayList<>(result.getResultsCount());
        for (CommandResult r : result.getResultsList()) {
            outcomes.add(new WriteOutcome(ResultCode.fromCode(r.getCode()), r.getGeneration(), r.getExisted()));
        }
        return outcomes;
    }
}
