/**
 * Ratis's metrics, kept cheap enough for the write path.
 *
 * <p>Ratis records about four timers per log entry (append, flush, sync, apply...) through the service-loaded
 * {@link org.apache.ratis.metrics.MetricRegistries}. The implementations Ratis ships keep each timer's samples in an
 * exponentially decaying reservoir (a {@code ConcurrentSkipListMap} insert and a {@code Math.exp} per sample): about a
 * tenth of a node's CPU per write in the profile of issue 10. {@link io.partita.raft.metrics.RatisRegistries} is the
 * implementation this JVM loads instead (registered in {@code META-INF/services}); its timers keep the last
 * {@value io.partita.raft.metrics.RatisRegistry#WINDOW} samples in a ring. Registries are still Dropwizard
 * {@link com.codahale.metrics.MetricRegistry}s, which the node exports to Prometheus, and no reporter (JMX, console)
 * is ever started.
 */
package io.partita.raft.metrics;
