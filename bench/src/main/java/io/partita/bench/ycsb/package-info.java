/**
 * A binding of the standard YCSB client ({@code site.ycsb.Client}, YCSB 0.17.0) to Partita: see
 * {@link io.partita.bench.ycsb.PartitaYcsbDb} and the command in bench/README.md.
 */
package io.partita.bench.ycsb;
