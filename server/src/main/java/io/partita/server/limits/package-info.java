/**
 * Limits on what one node serves at once on its client port (section {@code limits} of the configuration):
 * connections per client address ({@link io.partita.server.limits.ConnectionLimiter}), calls in flight per connection
 * and concurrent export and snapshot-fetch streams ({@link io.partita.server.limits.CallLimiter}). A call beyond a
 * limit is refused at once with {@code RESOURCE_EXHAUSTED}, naming the limit and its configuration key; nothing waits.
 */
package io.partita.server.limits;
