package io.partita.snapshot.backup;

import java.nio.file.Path;

/** File names inside a backup directory. */
final class BackupLayout {
    static final String MANIFEST = "manifest.json";
    static final String JOURNAL = "progress.journal";
    static final String GROUPS = "groups";
    /** Suffix of files being written; never part of a finished group. */
    static final String PARTIAL = ".partial";

    private BackupLayout() {
    }

    static String dataName(int group) {
        return String.format("%s/g-%05d.dat", GROUPS, group);
    }

    static String indexName(int group) {
        return String.format("%s/g-%05d.idx", GROUPS, group);
    }

    static Path resolve(Path dir, String name) {
        return dir.resolve(name.replace('/', dir.getFileSystem().getSeparator().charAt(0)));
    }
}
