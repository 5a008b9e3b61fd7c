package io.shardlb.planner.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one setting from a Service's annotations under its kube-loxilb key or its shardlb alias. Both set to
 * different values is an error naming both; both set to the same value is fine.
 */
final class AnnotationReader {
    private final Map<String, String> annotations;
    private final List<SettingError> errors = new ArrayList<>();

    AnnotationReader(Map<String, String> annotations) {
        this.annotations = annotations == null ? Map.of() : annotations;
    }

    /** A value found under {@code key}. */
    record Value(String key, String value) {
        SettingError error(String problem) {
            return new SettingError(key, value, problem);
        }
    }

    /** The errors met so far (shared with the caller, who appends its own). */
    List<SettingError> errors() {
        return errors;
    }

    Optional<Value> get(Annotations.Key key) {
        String loxilb = annotations.get(key.loxilb());
        String alias = annotations.get(key.alias());
        if (loxilb != null && alias != null && !loxilb.equals(alias)) {
            errors.add(new SettingError(key.loxilb() + " and " + key.alias(), loxilb + "\" vs \"" + alias,
                    "both are set and disagree; set one of them"));
            return Optional.empty();
        }
        if (loxilb != null) {
            return Optional.of(new Value(key.loxilb(), loxilb));
        }
        return alias == null ? Optional.empty() : Optional.of(new Value(key.alias(), alias));
    }

    static boolean isKnown(String key) {
        for (Annotations.Key k : Annotations.ALL) {
            if (k.loxilb().equals(key) || k.alias().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
