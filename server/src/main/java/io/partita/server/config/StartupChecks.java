package io.partita.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks a node runs before it touches anything, with the same one-line {@link ConfigException} messages. */
public final class StartupChecks {
    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {
    }

    /**
     * Makes sure the data directory can be used: creates it (and its parents) if missing, and proves it is
     * writable by creating and deleting a probe file.
     *
     * @param config     the configuration
     * @param sourceName where the configuration came from (for messages), or {@code null} if built in code
     * @return the data directory as an absolute, normalised path
     * @throws ConfigException (key {@code data-dir}) if it exists as a non-directory, cannot be created or is
     *                         not writable
     */
    public static Path prepareDataDir(NodeConfig config, String sourceName) {
        Path dir = config.dataDir();
        String shown = "'" + dir + "'";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException(sourceName, "data-dir", shown
                    + " exists and is not a directory (point data-dir at a directory)");
        }
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ConfigException(sourceName, "data-dir", shown + " cannot be created (" + reason(e)
                        + "; create it or choose another data-dir)");
            }
            LOG.info("Created data directory {}", dir.toAbsolutePath().normalize());
        }
        try {
            Path probe = Files.createTempFile(dir, ".partita-write-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new ConfigException(sourceName, "data-dir", shown + " is not writable (" + reason(e)
                    + "; fix its permissions or choose another data-dir)");
        }
        return dir.toAbsolutePath().normalize();
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "something that is not a directory is in the way: " + e.getMessage();
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + e.getMessage();
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
