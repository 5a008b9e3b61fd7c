package io.shardlb.planner.settings;

/**
 * One thing wrong with a Service's settings: which annotation or spec field, the value as the user wrote it,
 * and what is wrong with it.
 *
 * @param field   the annotation key ({@code loxilb.io/lbmode}) or spec field ({@code spec.ports[1].port})
 * @param value   the offending value as written ("" when absent)
 * @param problem what is wrong, and what would be accepted
 */
public record SettingError(String field, String value, String problem) {

    /** The text carried in {@code ServiceRejected.reasons}. */
    public String message() {
        return field + "=\"" + value + "\": " + problem;
    }

    @Override
    public String toString() {
        return message();
    }
}
