/**
 * The engine's record model ({@link io.partita.engine.record.StoredRecord}, bin values via
 * {@link io.partita.protocol.BinValues}) and its versioned binary encoding
 * ({@link io.partita.engine.record.RecordCodec}, {@link io.partita.engine.record.BinCodec}).
 */
package io.partita.engine.record;
