package io.partita.bench.jmh;

import io.partita.engine.write.WriteOp;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.CommandBatch;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The leader's and followers' per-entry work on a Raft command batch of {@code batchSize} puts (one 100-byte string
 * bin each, distinct keys):
 * <ul>
 *   <li>{@code build}: {@link WriteCommands#toCommand} for each op (bins encoded with BinCodec) into a
 *       {@link CommandBatch};</li>
 *   <li>{@code encode}: {@link CommandCodec#encode} (Protobuf + LZ4) of the built batch;</li>
 *   <li>{@code decode}: {@link CommandCodec#decode} of the encoded entry.</li>
 * </ul>
 * Scores are per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommandBatchBenchmark {
    @Param({"1", "16", "256"})
    public int batchSize;

    private List<WriteOp> ops;
    private CommandBatch batch;
    private ByteBuffer entry;

    @Setup
    public void setup() {
        ops = BenchData.puts(batchSize, 42);
        batch = build();
        entry = ByteBuffer.wrap(CommandCodec.encode(batch));
        if (!CommandCodec.decode(entry).equals(batch)) {
            throw new IllegalStateException("command codec round trip failed");
        }
    }

    @Benchmark
    public CommandBatch build() {
        CommandBatch.Builder b = CommandBatch.newBuilder().setTimestampMs(1_700_000_000_000L);
        for (WriteOp op : ops) {
            b.addCommands(WriteCommands.toCommand(op));
        }
        return b.build();
    }

    @Benchmark
    public byte[] encode() {
        return CommandCodec.encode(batch);
    }

    @Benchmark
    public CommandBatch decode() {
        return CommandCodec.decode(entry);
    }
}
