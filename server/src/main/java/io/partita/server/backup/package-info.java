/** The cluster side of backups: consistent per-group export streams. */
package io.partita.server.backup;
