package io.partita.tools.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A class-data sharing archive (AppCDS) for a local node's JVM. A node loads about 9,000 classes; reading, verifying
 * and linking them, and interpreting the code that runs meanwhile, is most of the CPU a node spends before it is
 * ready (measured: about 7 s of CPU without the archive, under 3 s with it). The first start of a node records the
 * classes it loaded when the process exits; later starts map the archive.
 *
 * <p>The archive is {@code DIR/n<i>/cds-<fingerprint>.jsa}. The fingerprint covers the JVM and every jar of the
 * class path (path, size, modification time), so a rebuild or another JDK records a new archive rather than reuse
 * one the JVM would refuse. Each node directory holds its own, since only one process runs from a node directory at
 * a time. The JVM writes the archive in place as it exits and crashes at start on a truncated one, so it records
 * into {@code .jsa.new}, which becomes the archive only once the process has exited with code 0 (after the dump);
 * a process killed meanwhile leaves a file that is deleted.
 */
final class ClassDataArchive {
    static final String PREFIX = "cds-";
    static final String SUFFIX = ".jsa";
    static final String PENDING_SUFFIX = ".new";
    /** Dump-time notes (classes the JVM skips) would clutter node.log; failures to map an archive still show. */
    static final String QUIET = "-Xlog:cds=off,cds+dynamic=off";

    private final Path archive;
    private final List<String> jvmOptions;
    private final boolean recording;

    private ClassDataArchive(Path archive, List<String> jvmOptions, boolean recording) {
        this.archive = archive;
        this.jvmOptions = jvmOptions;
        this.recording = recording;
    }

    /**
     * The archive of a node in {@code nodeDir} started with {@code classPath} on this JVM: mapped if an earlier start
     * recorded it, else recorded by this start (archives of other fingerprints and unfinished recordings are
     * removed). None when the class path has a directory of classes (a development or test run), which the JVM
     * cannot archive.
     */
    static ClassDataArchive forNode(Path nodeDir, String classPath) {
        Optional<String> fingerprint = fingerprint(classPath, System.getProperty("java.home", ""),
                System.getProperty("java.vm.version", ""));
        if (fingerprint.isEmpty()) {
            return new ClassDataArchive(null, List.of(), false);
        }
        Path archive = nodeDir.resolve(PREFIX + fingerprint.get() + SUFFIX);
        removeAllBut(nodeDir, archive);
        if (Files.isRegularFile(archive)) {
            return new ClassDataArchive(archive, List.of("-XX:SharedArchiveFile=" + archive, QUIET), false);
        }
        return new ClassDataArchive(archive, List.of("-XX:ArchiveClassesAtExit=" + pending(archive), QUIET), true);
    }

    /** The options to start the node's JVM with; empty if it runs without an archive. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * Called once the process started with {@link #jvmOptions} has exited: keeps what it recorded if it exited with
     * code 0 (the JVM dumps before it exits), else deletes it.
     */
    void processExited(int exitCode) {
        if (!recording) {
            return;
        }
        Path recorded = pending(archive);
        try {
            if (exitCode == 0 && Files.isRegularFile(recorded)) {
                Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(recorded);
            }
        } catch (IOException e) {
            // Best effort: without the archive the next start records it again.
        }
    }

    private static Path pending(Path archive) {
        return archive.resolveSibling(archive.getFileName() + PENDING_SUFFIX);
    }

    /**
     * A hex digest of the JVM and of every jar on {@code classPath} ({@code dir/*} stands for the jars in dir);
     * empty if an entry is a directory of classes or missing.
     */
    static Optional<String> fingerprint(String classPath, String javaHome, String vmVersion) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        digest.update((javaHome + "\n" + vmVersion + "\n").getBytes(StandardCharsets.UTF_8));
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.endsWith("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1));
                List<Path> inDir = new ArrayList<>();
                try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    s.forEach(inDir::add);
                } catch (IOException e) {
                    return Optional.empty();
                }
                inDir.sort(null);
                jars.addAll(inDir);
            } else {
                Path p = Path.of(entry);
                if (!Files.isRegularFile(p)) {
                    return Optional.empty();
                }
                jars.add(p);
            }
        }
        if (jars.isEmpty()) {
            return Optional.empty();
        }
        for (Path jar : jars) {
            try {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                digest.update((jar.toAbsolutePath() + "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest(), 0, 8));
    }

    /** Deletes the node's other archives and every unfinished recording (none is running: the node is not). */
    private static void removeAllBut(Path nodeDir, Path keep) {
        if (!Files.isDirectory(nodeDir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(nodeDir, PREFIX + "*" + SUFFIX + "*")) {
            for (Path p : s) {
                if (!p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Best effort: an outdated archive left behind costs disk space only.
        }
    }
}
