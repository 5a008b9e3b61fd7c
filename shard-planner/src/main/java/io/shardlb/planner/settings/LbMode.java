package io.shardlb.planner.settings;

import java.util.Optional;

/**
 * How a VIP's traffic is translated (DESIGN.md, LB modes); {@code loxilb.io/lbmode}. kube-loxilb also knows
 * {@code hostonearm} and {@code fullproxy} (loadbalancer.go); shardlb does not implement them and rejects them
 * by name rather than silently falling back as kube-loxilb does for unknown values.
 */
public enum LbMode {
    /** DNAT, client address kept. */
    DEFAULT("default"),
    /** DNAT + SNAT to the agent's address, same interface. */
    ONEARM("onearm"),
    /** DNAT + SNAT to the VIP. */
    FULLNAT("fullnat"),
    /** L2 rewrite only, replies bypass the agent. */
    DSR("dsr");

    private final String wire;

    LbMode(String wire) {
        this.wire = wire;
    }

    /** The annotation value and the {@code RuleSet.mode} text. */
    public String wire() {
        return wire;
    }

    /** The mode written as {@code text}, or empty. */
    public static Optional<LbMode> parse(String text) {
        for (LbMode m : values()) {
            if (m.wire.equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The accepted values, for error messages. */
    public static String accepted() {
        return "default, onearm, fullnat, dsr";
    }
}
