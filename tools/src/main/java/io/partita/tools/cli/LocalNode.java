package io.partita.tools.cli;

import io.partita.server.config.ConfigLoader;
import io.partita.server.config.ConfigWriter;
import io.partita.server.config.NodeConfig;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node of a local cluster, run as a child process: its files under {@code DIR/n<i>/}, its configuration, pid
 * file, log and readiness.
 */
public final class LocalNode {

    /** Main class of a node process. */
    public static final String SERVER_MAIN = "io.partita.server.PartitaServerMain";

    private final String nodeId;
    private final Path dir;
    /** The class-data archive of the last process spawned. */
    private volatile ClassDataArchive archive;

    public LocalNode(LocalLayout layout, int index) {
        this.nodeId = layout.nodeId(index);
        this.dir = layout.nodeDir(index);
    }

    public String nodeId() {
        return nodeId;
    }

    public Path dir() {
        return dir;
    }

    public Path confFile() {
        return dir.resolve("node.yaml");
    }

    public Path pidFile() {
        return dir.resolve("partita.pid");
    }

    public Path logFile() {
        return dir.resolve("node.log");
    }

    /** The configuration of an earlier start, if {@code node.yaml} exists. */
    public Optional<NodeConfig> existingConfig() {
        if (!Files.exists(confFile())) {
            return Optional.empty();
        }
        return Optional.of(ConfigLoader.load(confFile()));
    }

    /** Writes {@code node.yaml}. */
    public void writeConfig(NodeConfig config) throws IOException {
        Files.createDirectories(dir);
        ConfigWriter.write(config, confFile());
    }

    /** The pid in the pid file if it names a live node process; a stale or unreadable pid file yields empty. */
    public OptionalLong runningPid() {
        Path f = pidFile();
        if (!Files.exists(f)) {
            return OptionalLong.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(f, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        boolean alive = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(LocalNode::looksLikeNode)
                .isPresent();
        return alive ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /**
     * Whether a live process is a node rather than an unrelated process that reuses a stale pid. Reads the full
     * command line from /proc where there is one (ProcessHandle.Info truncates long ones, and a node's class path
     * is long); elsewhere uses ProcessHandle.Info; when nothing is visible, assumes it is a node.
     */
    static boolean looksLikeNode(ProcessHandle p) {
        Path procCmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        if (Files.isReadable(procCmdline)) {
            try {
                String cmdline = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8);
                if (!cmdline.isEmpty()) {
                    return cmdline.contains(SERVER_MAIN);
                }
            } catch (IOException e) {
                // fall through
            }
        }
        ProcessHandle.Info info = p.info();
        if (info.commandLine().isPresent()) {
            return info.commandLine().get().contains(SERVER_MAIN);
        }
        return info.command().map(c -> c.contains("java")).orElse(true);
    }

    /**
     * The first of the ports that cannot be bound on {@code address}, described as e.g. {@code "7301 (raft)"}; empty
     * if all are free.
     */
    public static Optional<String> firstBusyPort(String address, int clientPort, int raftPort, int adminPort) {
        int[] ports = {clientPort, raftPort, adminPort};
        String[] roles = {"client", "raft", "admin"};
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(address, ports[i]));
            } catch (IOException e) {
                return Optional.of(ports[i] + " (" + roles[i] + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the node process with this JVM's class path, output appended to {@code node.log}, and writes the pid
     * file. The JVM maps the node's class-data archive, or records it at exit ({@link ClassDataArchive}).
     */
    public Process spawn() throws IOException {
        Files.createDirectories(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = absoluteClassPath();
        ClassDataArchive classes = ClassDataArchive.forNode(dir, classPath);
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g"));
        command.addAll(classes.jvmOptions());
        command.addAll(List.of("-cp", classPath, SERVER_MAIN, "--conf", confFile().toString()));
        Files.writeString(logFile(), "=== partita local: starting node " + nodeId + " at " + Instant.now()
                + " ===\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                .start();
        Files.writeString(pidFile(), p.pid() + "\n", StandardCharsets.UTF_8);
        archive = classes;
        return p;
    }

    /**
     * Called once the process {@link #spawn} started has exited: keeps the class-data archive it recorded if it
     * stopped cleanly ({@link ClassDataArchive#processExited}).
     */
    public void exited(Process process) {
        ClassDataArchive a = archive;
        if (a != null && !process.isAlive()) {
            a.processExited(process.exitValue());
        }
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "NUL" : "/dev/null";
    }

    /** This JVM's class path with every entry made absolute (the child runs in the node directory). */
    static String absoluteClassPath() {
        String cp = System.getProperty("java.class.path", "");
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("*")
                        ? Path.of(s.substring(0, s.length() - 1)).toAbsolutePath() + File.separator + "*"
                        : Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Stops the process: SIGTERM, then up to {@code grace} to exit, then a forced kill.
     *
     * @return whether it exited within the grace period
     */
    public static boolean stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        boolean exited = false;
        try {
            exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return exited;
    }

    /** Deletes the pid file if it still names {@code pid}. */
    public void deletePidFile(long pid) {
        try {
            Path f = pidFile();
            if (Files.exists(f) && Files.readString(f, StandardCharsets.UTF_8).trim().equals(Long.toString(pid))) {
                Files.delete(f);
            }
        } catch (IOException e) {
            // best effort; a stale pid file is detected on the next start
        }
    }

    /** The last {@code n} lines of {@code node.log} (at most the last 64 KiB are read). */
    public List<String> logTail(int n) {
        return tail(logFile(), n);
    }

    /** The last 20 lines of a log, for test diagnostics. */
    public static List<String> tailForTests(Path file) {
        return tail(file, 20);
    }

    static List<String> tail(Path file, int n) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int chunk = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[chunk];
            raf.seek(len - chunk);
            raf.readFully(buf);
            String[] lines = new String(buf, StandardCharsets.UTF_8).split("\r?\n", -1);
            List<String> all = new ArrayList<>(Arrays.asList(lines));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (chunk < len && !all.isEmpty()) {
                all.remove(0); // partial first line
            }
            return all.subList(Math.max(0, all.size() - n), all.size());
        } catch (IOException e) {
            return List.of("(could not read " + file + ": " + e.getMessage() + ")");
        }
    }
}
