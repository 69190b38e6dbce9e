package io.partita.engine.operate;

import io.partita.protocol.ReturnType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** The parts of a get/remove-by answer that list and map operations build alike from the return type. */
final class Results {
    private Results() {
    }

    static boolean inverted(int returnType) {
        return (returnType & ReturnType.INVERTED) != 0;
    }

    static int baseType(int returnType) {
        return returnType & ~ReturnType.INVERTED;
    }

    /** Whether type (without INVERTED) answers from the number of selected elements alone. */
    static boolean bySize(int type) {
        return type == ReturnType.NONE || type == ReturnType.COUNT || type == ReturnType.EXISTS;
    }

    /** The answer of a {@link #bySize} type for selected elements. */
    static Object ofSize(int type, int selected) {
        switch (type) {
            case ReturnType.NONE:
                return null;
            case ReturnType.COUNT:
                return (long) selected;
            default: // EXISTS
                // Any element selected. (The server answers "count == 0" for some INVERTED map paths, a quirk not
                // copied.)
                return selected != 0;
        }
    }

    /** The index or rank i counted from the front, or (reverse) from the back of n. */
    static long number(int i, int n, boolean reverse) {
        return reverse ? n - 1 - i : i;
    }

    /** {@link #number} of numberOf(p) for each picked p, in picked order. */
    static List<Object> numbers(int[] picked, IntUnaryOperator numberOf, int n, boolean reverse) {
        List<Object> out = new ArrayList<>(picked.length);
        for (int p : picked) {
            out.add(number(numberOf.applyAsInt(p), n, reverse));
        }
        return out;
    }

    /**
     * cdt_container_builder_add_int_range per segment {start, count}: ascending numbers; reversed numbers ascend
     * too, so the reverse numbers of a window read [n-start-count, n-start).
     */
    static List<Object> intRanges(int[][] segments, int n, boolean reverse) {
        List<Object> out = new ArrayList<>();
        for (int[] s : segments) {
            addIntRange(out, s[0], s[1], n, reverse);
        }
        return out;
    }

    static void addIntRange(List<Object> out, int start, int count, int n, boolean reverse) {
        int first = reverse ? n - start - count : start;
        for (int i = 0; i < count; i++) {
            out.add((long) (first + i));
        }
    }

    /** A multi-element answer as it is; a single-element one as its only element (null when nothing matched). */
    static Object oneOrAll(List<Object> out, boolean multi) {
        return multi ? out : out.isEmpty() ? null : out.get(0);
    }
}
