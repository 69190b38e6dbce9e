/**
 * A group's live state as a backup sees it: which (namespace, digest) pairs exist and a 64-bit hash of each record,
 * kept packed (28 bytes per record, no record bodies) so a million records fit in tens of megabytes. Written as the
 * group's index file; read back for incremental change detection and for the final-state merge of a chain.
 */
package io.partita.snapshot.backup.state;
