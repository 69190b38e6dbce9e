package io.partita.tools.cli;

import java.nio.file.Path;

/**
 * Where the nodes of a local cluster live: node {@code i} (1-based) is {@code n<i>}, with its data in
 * {@code DIR/n<i>/} and ports {@code BASE+3*(i-1)} (client), {@code +1} (raft), {@code +2} (admin).
 *
 * @param root     the cluster directory, absolute
 * @param basePort client port of node 1
 * @param nodes    number of nodes
 */
public record LocalLayout(Path root, int basePort, int nodes) {

    /** Ports each node uses. */
    public static final int PORTS_PER_NODE = 3;

    /**
     * Validates the layout.
     *
     * @throws IllegalArgumentException if there are no nodes or a port would leave 1..65535
     */
    public LocalLayout {
        root = root.toAbsolutePath().normalize();
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes must be 1 or more, got " + nodes);
        }
        int last = basePort + PORTS_PER_NODE * nodes - 1;
        if (basePort < 1 || last > 65535) {
            throw new IllegalArgumentException("--port " + basePort + " leaves no room for " + PORTS_PER_NODE * nodes
                    + " consecutive ports (use a base between 1 and " + (65536 - PORTS_PER_NODE * nodes) + ")");
        }
    }

    /** The node id of node {@code i}: {@code n<i>}. */
    public String nodeId(int i) {
        check(i);
        return "n" + i;
    }

    /** The directory of node {@code i}: data, {@code node.yaml}, {@code node.log}, {@code partita.pid}. */
    public Path nodeDir(int i) {
        return root.resolve(nodeId(i));
    }

    /** The client (gRPC) port of node {@code i}. */
    public int clientPort(int i) {
        check(i);
        return basePort + PORTS_PER_NODE * (i - 1);
    }

    /** The Raft port of node {@code i}. */
    public int raftPort(int i) {
        return clientPort(i) + 1;
    }

    /** The admin HTTP port of node {@code i}. */
    public int adminPort(int i) {
        return clientPort(i) + 2;
    }

    private void check(int i) {
        if (i < 1 || i > nodes) {
            throw new IllegalArgumentException("node " + i + " is not in 1.." + nodes);
        }
    }
}
