/**
 * Flow-controlled server streams of group scans ({@link io.partita.server.stream.ScanPump}): the backup export and
 * the client scan send a RocksDB snapshot scan as fast as the reader takes it, never faster.
 */
package io.partita.server.stream;
