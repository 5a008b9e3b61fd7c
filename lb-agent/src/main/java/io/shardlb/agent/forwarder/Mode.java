package io.shardlb.agent.forwarder;

import java.util.Locale;

/** Load-balancing mode, named as kube-loxilb's {@code loxilb.io/lbmode} values. */
public enum Mode {
    /** DNAT only: the backend sees the client's address and must reply through the agent. */
    DEFAULT("default"),
    /** DNAT + SNAT to the agent's own address, out of the same interface (the seed's mode). */
    ONEARM("onearm"),
    /** DNAT + SNAT to the VIP. */
    FULLNAT("fullnat"),
    /** Destination MAC rewrite only; the backend holds the VIP and replies to the client directly. */
    DSR("dsr");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    /** The kube-loxilb annotation value. */
    public String wireName() {
        return wireName;
    }

    /** Parses a kube-loxilb value; an empty value is {@link #DEFAULT}. */
    public static Mode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return DEFAULT;
        }
        for (Mode m : values()) {
            if (m.wireName.equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown lbmode: value=" + value + " (default|onearm|fullnat|dsr)");
    }
}
