/**
 * Aerospike's {@code operate()} as pure functions: {@link io.partita.engine.operate.Operator} runs a call's
 * operations in order over a record's bins, {@link io.partita.engine.operate.ListOps} and
 * {@link io.partita.engine.operate.MapOps} hold the list and map semantics, and
 * {@link io.partita.protocol.ValueOrder} the ordering of values they rank and sort by.
 *
 * <p>The contract: no I/O, no clock, no hash-order iteration, no state. Every replica applies the same log entry to
 * the same bins and must end with the same bytes and answers, so anything that varies between machines (time,
 * configuration) is decided by the leader and carried in the operation. An operation that cannot apply throws
 * {@link io.partita.engine.operate.OperateException} and the whole call applies nothing. Semantics follow Aerospike's
 * server source (cited where a rule is surprising); where Partita differs on purpose, the code says so.
 * {@link io.partita.engine.operate.OperationCodec} is the versioned form the Raft log carries.
 */
package io.partita.engine.operate;
