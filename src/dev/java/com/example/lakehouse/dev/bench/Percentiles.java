package com.example.lakehouse.dev.bench;

import java.util.List;

/** The benchmarks' one percentile: nearest rank, so every figure is a value that was measured. */
final class Percentiles {
    private Percentiles() {
    }

    /** The value at {@code fraction} (0.5 the median, 1.0 the maximum) of {@code values}, 0 if there are none. */
    static long of(List<Long> values, double fraction) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.max(0, Math.min(sorted.size() - 1,
                Math.ceil(fraction * sorted.size()) - 1)));
    }

    /** "p50 / max" of {@code millis}, or "-" if there are none. */
    static String p50AndMax(List<Long> millis) {
        return millis.isEmpty() ? "-" : of(millis, 0.5) + " / " + of(millis, 1.0);
    }
}
