package io.shardlb.planner.instance;

import io.shardlb.events.schema.Fact;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The names of the {@code numZoneInstances} instances: index 0 is shown as {@code zeroName} ({@code default}, as
 * in the seed guide), index {@code i > 0} as {@code <zone>-inst<i>} (kube-loxilb's {@code GenZoneInstName}).
 * {@code <zone>-inst0} and {@code llb-inst0} (what current kube-loxilb calls instance 0) are accepted for index 0.
 * <p>
 * The planner keeps instances by index so that history (terms, placement) survives a rename of the zone; names
 * are how decisions and users refer to them.
 *
 * @param count    number of instances (N), at least 1
 * @param zone     zone used in names, {@code llb} by default
 * @param zeroName name shown for instance 0, {@code default} by default
 */
public record InstanceNames(int count, String zone, String zeroName) {
    /** kube-loxilb's default zone. */
    public static final String DEFAULT_ZONE = "llb";
    /** The seed guide's name for instance 0. */
    public static final String DEFAULT_ZERO_NAME = "default";
    /** One instance named {@code default}: what a planner without configuration knows. */
    public static final InstanceNames SINGLE = new InstanceNames(1, DEFAULT_ZONE, DEFAULT_ZERO_NAME);

    private static final String INST = "-inst";

    public InstanceNames {
        count = Math.max(1, count);
        zone = zone == null || zone.isEmpty() ? DEFAULT_ZONE : zone;
        zeroName = zeroName == null || zeroName.isEmpty() ? DEFAULT_ZERO_NAME : zeroName;
    }

    /** The names configured by a {@code ConfigObserved} fact. */
    public static InstanceNames of(Fact.ConfigObserved config) {
        return new InstanceNames(config.numZoneInstances(), config.zone(), config.instanceZeroName());
    }

    /** The name shown for instance {@code index} (any index, also one beyond {@link #count} that was retired). */
    public String name(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("instance index must not be negative: index=" + index);
        }
        return index == 0 ? zeroName : zone + INST + index;
    }

    /** All current names, in index order. */
    public List<String> all() {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(name(i));
        }
        return List.copyOf(names);
    }

    /** The index of a current instance (below {@link #count}) named {@code name}, or empty. */
    public OptionalInt indexOf(String name) {
        OptionalInt any = anyIndexOf(name);
        return any.isPresent() && any.getAsInt() < count ? any : OptionalInt.empty();
    }

    /**
     * The index {@code name} stands for, current or retired (N shrank); empty if it names no instance of this
     * zone. Used by replay, where a decision may name an instance that no longer exists.
     */
    public OptionalInt anyIndexOf(String name) {
        if (name == null || name.isEmpty()) {
            return OptionalInt.empty();
        }
        if (name.equals(zeroName) || name.equals(DEFAULT_ZERO_NAME)) {
            return OptionalInt.of(0);
        }
        OptionalInt inZone = suffixIndex(name, zone + INST);
        if (inZone.isPresent()) {
            return inZone;
        }
        // kube-loxilb names instance 0 llb-inst0 whatever the zone's default; accept that spelling too.
        OptionalInt llb = suffixIndex(name, DEFAULT_ZONE + INST);
        return llb.isPresent() && llb.getAsInt() == 0 ? llb : OptionalInt.empty();
    }

    private static OptionalInt suffixIndex(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        String digits = name.substring(prefix.length());
        // Strict: decimal digits, no sign, no leading zero (so each index has exactly one spelling), no overflow.
        if (digits.isEmpty() || digits.length() > 6 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of(Integer.parseInt(digits));
    }
}
