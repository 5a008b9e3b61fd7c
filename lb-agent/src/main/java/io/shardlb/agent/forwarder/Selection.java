package io.shardlb.agent.forwarder;

import java.util.Locale;

/** Endpoint selection, named as kube-loxilb's {@code loxilb.io/epselect} values. */
public enum Selection {
    /** Maglev consistent hashing over the 5-tuple (table 65537): the same table on every agent. */
    HASH("hash"),
    /** Round robin over the endpoints, per new flow. */
    RR("rr"),
    /** Source-address affinity: Maglev over the client address only, so one client sticks to one endpoint. */
    PERSIST("persist"),
    /** Least connections: the endpoint with the fewest active flows. */
    LC("lc");

    private final String wireName;

    Selection(String wireName) {
        this.wireName = wireName;
    }

    /** The kube-loxilb annotation value. */
    public String wireName() {
        return wireName;
    }

    /** Parses a kube-loxilb value; an empty value is {@link #HASH} (shardlb's default, see DESIGN.md). */
    public static Selection parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return HASH;
        }
        for (Selection s : values()) {
            if (s.wireName.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown epselect: value=" + value + " (hash|rr|persist|lc)");
    }
}
