package io.shardlb.bench;

/**
 * A figure: {@code RESULT <name> <value> <unit>}; {@code note} goes to RESULTS.md (target met or not, peer, why).
 */
public record Result(String name, double value, String unit, String note) {

    public static Result of(String name, double value, String unit) {
        return new Result(name, value, unit, "");
    }

    /** The line printed for scripts: {@code RESULT name value unit}. */
    public String line() {
        return "RESULT " + name + " " + format(value) + " " + unit;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }
}
