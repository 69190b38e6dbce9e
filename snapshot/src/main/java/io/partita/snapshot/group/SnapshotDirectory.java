package io.partita.snapshot.group;

import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of one group on one node, one sub-directory each ({@code snapshot-<term>-<index>}).
 *
 * <p>A snapshot is built in a staging directory ({@code .staging-*}), its files fsynced, its manifest written last,
 * and only then renamed to its final name: a crash at any point leaves either no final directory or a complete one.
 * A final directory without a valid manifest (never produced by this class) is ignored.
 *
 * <p>Snapshots being read by someone else (e.g. streamed to a follower) can be pinned so pruning keeps them.
 */
public final class SnapshotDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDirectory.class);
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d+)-(\\d+)");
    private static final String STAGING_PREFIX = ".staging-";

    private final Path root;
    private final Map<Path, Integer> pins = new HashMap<>();

    /** Opens (creating if needed) the directory and removes staging directories left by a crash. */
    public SnapshotDirectory(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        try (var entries = Files.list(root)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                LOG.info("Removing incomplete snapshot {}", p);
                DurableFiles.deleteTree(p);
            }
        }
    }

    public Path root() {
        return root;
    }

    /** A new, empty staging directory to write a snapshot's data files into. */
    public Path newStaging() throws IOException {
        return Files.createDirectory(root.resolve(STAGING_PREFIX + UUID.randomUUID()));
    }

    /**
     * Makes a staged snapshot final: fsyncs its data files, writes the manifest, and renames the directory. If a
     * complete snapshot at the same position already exists, the staged copy is discarded and that one returned.
     */
    public StoredSnapshot commit(Path staging, SnapshotManifest manifest) throws IOException {
        for (SnapshotFile f : manifest.files()) {
            DurableFiles.fsync(staging.resolve(f.name()));
        }
        manifest.writeTo(staging);
        Path target = root.resolve("snapshot-" + manifest.term() + "-" + manifest.index());
        if (Files.exists(target)) {
            Optional<StoredSnapshot> existing = load(target);
            if (existing.isPresent()) {
                DurableFiles.deleteTree(staging);
                return existing.get();
            }
            DurableFiles.deleteTree(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("snapshot " + target + " appeared while committing " + staging, e);
        }
        DurableFiles.fsyncDirectory(root);
        return new StoredSnapshot(target, manifest);
    }

    /** The complete snapshot with the highest index, if any. */
    public Optional<StoredSnapshot> latest() {
        for (Path dir : finalDirsNewestFirst()) {
            Optional<StoredSnapshot> s = load(dir);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private Optional<StoredSnapshot> load(Path dir) {
        try {
            return Optional.of(new StoredSnapshot(dir, SnapshotManifest.read(dir)));
        } catch (IOException e) {
            LOG.warn("Ignoring snapshot {}: {}", dir, e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes all but the newest {@code keep} final snapshots, sparing pinned ones. */
    public synchronized void prune(int keep) throws IOException {
        List<Path> dirs = finalDirsNewestFirst();
        for (Path dir : dirs.subList(Math.min(keep, dirs.size()), dirs.size())) {
            if (!pins.containsKey(dir)) {
                LOG.debug("Deleting old snapshot {}", dir);
                DurableFiles.deleteTree(dir);
            }
        }
    }

    /** Keeps {@code snapshot} from being pruned until the returned handle is closed. */
    public synchronized Pin pin(StoredSnapshot snapshot) {
        pins.merge(snapshot.dir(), 1, Integer::sum);
        return () -> {
            synchronized (SnapshotDirectory.this) {
                pins.computeIfPresent(snapshot.dir(), (k, n) -> n == 1 ? null : n - 1);
            }
        };
    }

    /** Releases a {@link #pin}. */
    @FunctionalInterface
    public interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    private List<Path> finalDirsNewestFirst() {
        List<Path> dirs = new ArrayList<>();
        try (var entries = Files.list(root)) {
            entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + root, e);
        }
        dirs.sort(Comparator.comparingLong((Path p) -> indexOf(p)).reversed());
        return dirs;
    }

    private static long indexOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }
}
