package io.shardlb.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/** Medians of repeated measurements: a shared machine has its hiccups, and one round can hit one. */
final class Medians {
    private Medians() {
    }

    /** The median of {@code values} (the upper middle one for an even count); {@code values} is left as it was. */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Runs {@code round} {@code n} times; each figure of the answer is the median of that figure's values. */
    static double[] perFigure(int n, Supplier<double[]> round) {
        double[][] all = new double[n][];
        for (int i = 0; i < n; i++) {
            all[i] = round.get();
        }
        double[] out = new double[all[0].length];
        for (int f = 0; f < out.length; f++) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = all[i][f];
            }
            out[f] = of(values);
        }
        return out;
    }
}
