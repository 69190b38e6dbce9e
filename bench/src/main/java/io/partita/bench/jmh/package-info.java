/**
 * JMH microbenchmarks of the write path's hot spots: the record codec, building and (de)compressing a Raft command
 * batch, and applying a batch to RocksDB. Run them with {@code org.openjdk.jmh.Main}; see bench/README.md,
 * "JMH microbenchmarks".
 */
package io.partita.bench.jmh;
