package io.partita.engine.operate;

import io.partita.protocol.ValueOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntFunction;

/**
 * Index and rank arithmetic shared by list and map operations: normalising and clamping what the arguments name,
 * windows as segments {start, count}, selection masks, and binary search in ValueOrder.
 */
final class IndexRanges {
    /** Which elements equal a value (mask), how many are smaller and how many equal: its window in rank order. */
    record ValueMatch(boolean[] mask, int smaller, int equal) {
    }

    private IndexRanges() {
    }

    /**
     * The {start, count} that w names among n elements: a range clamped ({@link #clampRange}); a single element
     * refused when INVERTED, then when out of bounds ({@link #singleIndex}), as the server checks them.
     */
    static int[] window(OpArgs a, OpArgs.Window w, int n, String what) throws OperateException {
        if (w.range()) {
            return clampRange(w.start(), w.count(), n);
        }
        a.rejectInverted(w.returnType());
        return new int[] {singleIndex(a, w.start(), n, what), 1};
    }

    /** The index or rank a single-element operation names; out of bounds is OP_NOT_APPLICABLE (calc_index_count). */
    static int singleIndex(OpArgs a, long index, int n, String what) throws OperateException {
        if (index >= n || index < -(long) n) {
            throw a.outOfBounds(what, index, n);
        }
        return (int) (index < 0 ? n + index : index);
    }

    /**
     * calc_index_count_multi: the window [index, index + count) clipped to [0, n). An index at or past the end
     * selects nothing; a negative index before the front keeps only the part of the window inside the container.
     *
     * @return {start, count}
     */
    static int[] clampRange(long index, long count, int n) {
        if (index >= n) {
            return new int[] {n, 0};
        }
        long from = index < 0 ? n + index : index;
        if (from < 0) {
            long inside = count + from; // count >= 0 and from < 0: no overflow
            return new int[] {0, (int) Math.max(0, Math.min(inside, n))};
        }
        return new int[] {(int) from, (int) Math.min(count, n - from)};
    }

    /**
     * The complement of [start, start + count) as the server reduces it: everything when nothing was selected, else
     * the tail, the head, or head and tail (packed_list_trim). The reduction matters for REVERSE_INDEX, whose numbers
     * ascend within each segment.
     */
    static int[][] invertedSegments(int start, int count, int n) {
        if (count == 0) {
            return new int[][] {{0, n}};
        }
        if (start == 0) {
            return new int[][] {{count, n - count}};
        }
        if (start + count >= n) {
            return new int[][] {{0, start}};
        }
        return new int[][] {{0, start}, {start + count, n - start - count}};
    }

    /** The window {start, count}, or inverted the segments before and after it (not reduced, unlike the above). */
    static int[][] windowOrAround(int start, int count, int n, boolean inverted) {
        return inverted ? new int[][] {{0, start}, {start + count, n - start - count}} : new int[][] {{start, count}};
    }

    /** How many numbers the segments hold. */
    static int total(int[][] segments) {
        int total = 0;
        for (int[] s : segments) {
            total += s[1];
        }
        return total;
    }

    /** The numbers s .. s + count - 1 of each segment {s, count}, segment after segment. */
    static int[] indexesOf(int[][] segments) {
        return positionsOf(null, segments);
    }

    /** order[s .. s + count) of each segment {s, count}, segment after segment; a null order is the identity. */
    static int[] positionsOf(int[] order, int[][] segments) {
        int[] out = new int[total(segments)];
        int k = 0;
        for (int[] s : segments) {
            for (int i = s[0]; i < s[0] + s[1]; i++) {
                out[k++] = order == null ? i : order[i];
            }
        }
        return out;
    }

    /** A mask of n with the picked indexes set. */
    static boolean[] mask(int n, int[] picked) {
        boolean[] mask = new boolean[n];
        for (int i : picked) {
            mask[i] = true;
        }
        return mask;
    }

    /** The indexes whose mask bit differs from inverted, in ascending order. */
    static int[] maskIndexes(boolean[] mask, boolean inverted) {
        return maskIndexes(mask, inverted, null);
    }

    /** The indexes whose mask bit differs from inverted, in the given order (null: ascending). */
    static int[] maskIndexes(boolean[] mask, boolean inverted, int[] order) {
        int count = 0;
        for (boolean m : mask) {
            count += m != inverted ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int j = 0; j < mask.length; j++) {
            int i = order == null ? j : order[j];
            if (mask[i] != inverted) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** 0..n-1 sorted by order; stable, so equal elements keep their index order. */
    static int[] sortedPositions(int n, Comparator<Integer> order) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, order);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    /** Compares each of n elements with value in ValueOrder. */
    static ValueMatch matchValue(int n, IntFunction<Object> element, Object value) {
        boolean[] mask = new boolean[n];
        int smaller = 0;
        int equal = 0;
        for (int i = 0; i < n; i++) {
            int c = ValueOrder.compare(element.apply(i), value);
            smaller += c < 0 ? 1 : 0;
            equal += c == 0 ? 1 : 0;
            mask[i] = c == 0;
        }
        return new ValueMatch(mask, smaller, equal);
    }

    /** The number of elements of sorted smaller than value. */
    static int lowerBound(Object[] sorted, Object value) {
        return countBelow(sorted, value, 0);
    }

    /** The number of elements of sorted smaller than or equal to value. */
    static int lowerBoundAbove(Object[] sorted, Object value) {
        return countBelow(sorted, value, 1);
    }

    /** The number of elements e of sorted with compare(e, value) < limit (binary search). */
    private static int countBelow(Object[] sorted, Object value, int limit) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ValueOrder.compare(sorted[mid], value) < limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
