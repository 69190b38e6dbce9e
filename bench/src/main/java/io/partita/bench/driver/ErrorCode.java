package io.partita.bench.driver;

/**
 * One kind of failed operation as the report counts it: a store's result code (name and number, shown as
 * {@code TIMEOUT(9)}), or {@link #CLIENT_EXCEPTION} for a failure that came without one. Codes sort by number,
 * {@code CLIENT_EXCEPTION} last; that is the order of the report's "errors by code".
 *
 * @param name   the code's name, e.g. {@code TIMEOUT}
 * @param number the code's number, or a negative value for a failure without a number
 */
public record ErrorCode(String name, int number) implements Comparable<ErrorCode> {

    /** A failure that carries no result code (a bug, a closed client, ...): see the log on stderr. */
    public static final ErrorCode CLIENT_EXCEPTION = new ErrorCode("CLIENT_EXCEPTION", -1);

    /** The label in the report: {@code NAME(number)}, or the bare name when there is no number. */
    public String label() {
        return number < 0 ? name : name + "(" + number + ")";
    }

    @Override
    public int compareTo(ErrorCode o) {
        if ((number < 0) != (o.number < 0)) {
            return number < 0 ? 1 : -1;
        }
        int c = Integer.compare(number, o.number);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
