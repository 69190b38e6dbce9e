package io.partita.snapshot.backup.io;

/** What a block file holds; stored in its header so a data file renamed to an index file is caught. */
public enum FileKind {
    /** Records and deletions of one group, in the order the backup saw them. */
    DATA(1),
    /** The group's full live state, sorted by (namespace, digest). */
    INDEX(2);

    private final int code;

    FileKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static FileKind ofCode(int code) {
        for (FileKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
