package io.partita.tools.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.ExportRefusal;
import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.ExportedRecord;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.snapshot.backup.BackupChain;
import io.partita.snapshot.backup.BackupManifest;
import io.partita.snapshot.backup.BackupSpec;
import io.partita.snapshot.backup.BackupWriter;
import io.partita.snapshot.backup.GroupSink;
import io.partita.tools.CliRunner;
import io.partita.tools.CliRunner.Result;
import io.partita.tools.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita backup --since} against two stand-in nodes that serve a fixed cluster map and fixed group exports
 * over real gRPC: an export at a Raft index below the previous backup's (an empty or lagging replica) is never
 * recorded -- the group is read from the other replica, or the backup fails with exit code 4 and no manifest -- and
 * a node's typed refusal is reported as such.
 */
class StaleReplicaBackupTest {
    private static final String CLUSTER = "cluster-stale";
    private static final long PARENT_INDEX = 100;

    @TempDir
    Path tmp;

    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anExportBelowThePreviousBackupsIndexIsReadFromAnotherReplica() throws Exception {
        Path full = fullBackup();
        // n1 leads but lost its data (an empty group at index 0); n2 is a sound follower.
        Export empty = new Export(0, 0, null);
        Export sound = new Export(3, PARENT_INDEX + 20, null);
        String[] addresses = startNodes(empty, sound);
        Path inc = tmp.resolve("inc");

        Result r = CliRunner.run("backup", "--hosts", addresses[0], "--to", inc.toString(), "--since",
                full.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        BackupManifest m = BackupChain.open(inc).latest();
        assertEquals(PARENT_INDEX + 20, m.group(0).index(), "the group came from the sound replica");
        assertEquals(0, m.deletions(), "the empty replica's export recorded no deletions");
        assertEquals(3, m.recordsLive());
    }

    @Test
    void whenEveryReplicaIsBehindOrRefusesTheBackupFailsWithoutRecordingTheGroup() throws Exception {
        Path full = fullBackup();
        Export refusing = new Export(0, 0, ExportRefusal.INSTALLING_SNAPSHOT);
        Export lagging = new Export(1, PARENT_INDEX - 40, null);
        String[] addresses = startNodes(refusing, lagging);
        Path inc = tmp.resolve("inc");

        Result r = CliRunner.run("backup", "--hosts", addresses[0], "--to", inc.toString(), "--since",
                full.toString());

        assertEquals(ExitCodes.UNAVAILABLE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("refused to export (INSTALLING_SNAPSHOT)"), r.toString());
        assertTrue(r.err().contains("Raft index " + (PARENT_INDEX - 40) + ", below the index " + PARENT_INDEX),
                r.toString());
        assertFalse(Files.exists(inc.resolve("manifest.json")), "an incomplete backup is not restorable");
        try (var files = Files.list(inc.resolve("groups"))) {
            assertEquals(List.of(), files.toList(), "nothing written for the refused group");
        }
    }

    /** A full backup of group 0 at {@link #PARENT_INDEX} with records 0..2. */
    private Path fullBackup() throws Exception {
        Path dir = tmp.resolve("full");
        BackupWriter writer = BackupWriter.open(dir, new BackupSpec(CLUSTER, 1, null, null, null));
        try (GroupSink sink = writer.openGroup(0, 1, PARENT_INDEX)) {
            for (int i = 0; i < 3; i++) {
                sink.put("test", "s", digest(i), record(i));
            }
            sink.finish();
        }
        writer.commit();
        return dir;
    }

    /**
     * What a stand-in node answers to ExportGroup: records 0..records-1 at {@code index}, or the refusal.
     */
    private record Export(int records, long index, ExportRefusal refusal) {
    }

    /** Starts n1 and n2, each serving the same cluster map (n1 leads group 0) and its own export. */
    private String[] startNodes(Export n1, Export n2) throws Exception {
        int[] ports = {TestPorts.free(), TestPorts.free()};
        String[] addresses = {"127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]};
        ClusterMap map = ClusterMap.newBuilder()
                .setVersion(1).setClusterId(CLUSTER).setGroupCount(1).setPartitionCount(1).addPartitionGroups(0)
                .addNodes(NodeInfo.newBuilder().setNodeId("n1").setClientAddress(addresses[0]))
                .addNodes(NodeInfo.newBuilder().setNodeId("n2").setClientAddress(addresses[1]))
                .addGroups(GroupInfo.newBuilder().setGroup(0).setLeaderNodeId("n1").setTerm(3)
                        .addReplicaNodeIds("n1").addReplicaNodeIds("n2"))
                .build();
        Export[] exports = {n1, n2};
        for (int i = 0; i < 2; i++) {
            String nodeId = "n" + (i + 1);
            Export export = exports[i];
            servers.add(NettyServerBuilder.forPort(ports[i])
                    .addService(new PartitaGrpc.PartitaImplBase() {
                        @Override
                        public void getClusterMap(ClusterMapRequest request, StreamObserver<ClusterMap> out) {
                            out.onNext(map);
                            out.onCompleted();
                        }
                    })
                    .addService(new AdminGrpc.AdminImplBase() {
                        @Override
                        public void exportGroup(ExportGroupRequest request, StreamObserver<ExportGroupChunk> out) {
                            if (export.refusal() != null) {
                                out.onError(export.refusal().toException("node " + nodeId + " cannot export group "
                                        + request.getGroup() + " now"));
                                return;
                            }
                            out.onNext(ExportGroupChunk.newBuilder().setGroup(0).setTerm(3)
                                    .setAppliedIndex(export.index()).setClusterId(CLUSTER).setNodeId(nodeId)
                                    .setEstimatedRecords(export.records()).build());
                            ExportGroupChunk.Builder chunk = ExportGroupChunk.newBuilder();
                            for (int k = 0; k < export.records(); k++) {
                                chunk.addRecords(ExportedRecord.newBuilder().setNamespace("test").setSet("s")
                                        .setDigest(ByteString.copyFrom(digest(k)))
                                        .setRecord(ByteString.copyFrom(record(k))));
                            }
                            if (export.records() > 0) {
                                out.onNext(chunk.build());
                            }
                            out.onNext(ExportGroupChunk.newBuilder().setDone(true)
                                    .setTotalRecords(export.records()).build());
                            out.onCompleted();
                        }
                    })
                    .build().start());
        }
        return addresses;
    }

    private static byte[] digest(int k) {
        byte[] d = new byte[20];
        d[19] = (byte) k;
        d[0] = 0x01;
        return d;
    }

    /** An opaque record body (the backup only stores and hashes it). */
    private static byte[] record(int k) {
        return ("record-" + k).getBytes(StandardCharsets.UTF_8);
    }
}
