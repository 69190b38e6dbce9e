package io.partita.raft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan file's bytes (the same bytes the metadata group's log holds), pinned: a plan with a node and the
 * cluster's users (role names as strings, a bcrypt hash, a credential version, a token key). The file is written
 * owner-only, since it holds password hashes and the key that signs session tokens.
 */
class PlanFileGoldenTest {
    // c1, version 7, 1 group; node n1; field 13 (security): token key 01 02, user admin with hash "hash1#",
    // grants user-admin (cluster) and read on test/users, credential version 7.
    private static final String GOLDEN = "0a026331100718012a140a026e311a0e3132372e302e302e313a373330306a3a0a020102"
            + "12340a0561646d696e12066861736831231a0c0a0a757365722d61646d696e1a130a04726561641204746573741a0575736572"
            + "732007";

    @TempDir
    Path dir;

    @Test
    void aPlanWithUsersHasFixedBytesAndAnOwnerOnlyFile() throws IOException {
        ClusterPlan plan = ClusterPlan.newBuilder().setClusterId("c1").setVersion(7).setGroupCount(1)
                .addNodes(PlanNode.newBuilder().setNodeId("n1").setClientAddress("127.0.0.1:7300"))
                .setSecurity(SecurityState.newBuilder().setTokenKey(ByteString.copyFrom(new byte[] {1, 2}))
                        .addUsers(User.newBuilder().setName("admin").setPasswordHash("hash1#")
                                .addGrants(Grant.newBuilder().setRole("user-admin"))
                                .addGrants(Grant.newBuilder().setRole("read").setNamespace("test").setSet("users"))
                                .setCredentialVersion(7)))
                .build();
        PlanFile file = new PlanFile(dir);
        file.save(plan);
        assertEquals(GOLDEN, HexFormat.of().formatHex(Files.readAllBytes(file.path())));
        assertEquals(plan, file.load().orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    }
}
