package io.shardlb.planner.settings;

import java.util.List;

/**
 * What {@link ServiceSettings#parse} made of a Service: a valid {@link ServiceSpec} or the list of errors.
 * Either way it may carry warnings (output annotations the user set) for the bridge to turn into Warning Events.
 */
public sealed interface SettingsResult {

    /** Warnings, whether accepted or not. */
    List<String> warnings();

    /** The settings are valid. */
    record Accepted(ServiceSpec spec, List<String> warnings) implements SettingsResult {
        public Accepted {
            warnings = List.copyOf(warnings);
        }
    }

    /** The settings are invalid; {@code errors} is never empty. */
    record Rejected(String service, List<SettingError> errors, List<String> warnings) implements SettingsResult {
        public Rejected {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one error: service=" + service);
            }
        }

        /** The reasons as carried by {@code ServiceRejected}. */
        public List<String> reasons() {
            return errors.stream().map(SettingError::message).toList();
        }
    }
}
