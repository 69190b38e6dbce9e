package io.partita.server.lincheck;

import java.util.Objects;

/**
 * One recorded operation on one key.
 *
 * @param id          unique within its {@link History}
 * @param client      who issued it (the recording thread's name), for reports only
 * @param key         the record's key; the checker checks each key separately
 * @param input       what was asked
 * @param outcome     what the client learned, see {@link Outcome}
 * @param output      the answer when {@code outcome} is {@link Outcome#DEFINITE}, else null
 * @param callNanos   {@link System#nanoTime()} just before the request was sent
 * @param returnNanos {@link System#nanoTime()} just after the answer arrived (or the client gave up);
 *                    not less than {@code callNanos} for a definite op, ignored for an indeterminate one
 */
public record Op(int id, String client, String key, Input input, Outcome outcome, Output output, long callNanos,
                 long returnNanos) {

    public Op {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.DEFINITE) != (output != null)) {
            throw new IllegalArgumentException("a " + outcome + " op " + (output == null ? "needs" : "has no")
                    + " output: " + input + " -> " + output);
        }
        if (output != null && !output.fits(input.kind())) {
            throw new IllegalArgumentException(input.kind() + " cannot answer " + output);
        }
        if (outcome == Outcome.DEFINITE && returnNanos < callNanos) {
            throw new IllegalArgumentException("op " + id + " returns (" + returnNanos + ") before its call ("
                    + callNanos + ")");
        }
    }

    /** Whether the op was answered (as opposed to failed or in doubt). */
    public boolean definite() {
        return outcome == Outcome.DEFINITE;
    }

    /** E.g. {@code #12 PUT(5) -> OK gen 3 [writer-2]}. */
    @Override
    public String toString() {
        return "#" + id + " " + input + " -> " + result() + " [" + client + "]";
    }

    /** The answer, or the outcome when there is none, e.g. {@code (5, gen 2)}, {@code INDETERMINATE}. */
    String result() {
        return output != null ? output.describe(input.kind()) : outcome.name();
    }
}
