package io.partita.engine.operate;

import java.util.ArrayList;
import java.util.List;

/** Expected lists of integers for the operate tests, boxed as the engine stores them (Long). */
final class Longs {
    private Longs() {
    }

    static List<Object> longs(long... values) {
        List<Object> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
