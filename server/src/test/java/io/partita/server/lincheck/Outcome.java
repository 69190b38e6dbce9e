package io.partita.server.lincheck;

/**
 * What a client learned about one operation, which decides how the checker treats it.
 *
 * <ul>
 *   <li>{@link #DEFINITE}: the system answered; the op took effect atomically at some instant between its call and its
 *       return, and produced the recorded {@link Output}.</li>
 *   <li>{@link #FAILED_NOT_APPLIED}: the system said it definitely did not apply (e.g. NOT_LEADER before proposing, a
 *       rejected request). The op is dropped from the history: it has no effect, so a later read of its value is a
 *       violation.</li>
 *   <li>{@link #INDETERMINATE}: in doubt (timeout, connection lost, IN_DOUBT). It may take effect at any instant after
 *       its call, even after the client gave up, or never; its output is unconstrained. Its return time is treated as
 *       +infinity, and the checker may leave it un-linearized. An indeterminate GET constrains nothing and is
 *       dropped.</li>
 * </ul>
 */
public enum Outcome {
    DEFINITE,
    FAILED_NOT_APPLIED,
    INDETERMINATE
}
