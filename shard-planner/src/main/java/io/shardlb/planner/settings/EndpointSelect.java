package io.shardlb.planner.settings;

import java.util.Optional;

/**
 * How an agent picks an endpoint; {@code loxilb.io/epselect}. Names as kube-loxilb accepts them
 * (loadbalancer.go: {@code hash}, {@code persist}, {@code lc}, {@code rr} and its alias {@code roundrobin}).
 * kube-loxilb's {@code n2}, {@code n2det}, {@code n3} (SCTP multi-homing) are not implemented here and are
 * rejected by name; kube-loxilb maps any unknown value to {@code rr}, shardlb reports it instead.
 */
public enum EndpointSelect {
    /** Maglev (table 65537): shardlb's default, keeps connections on their backend across agents. */
    HASH("hash"),
    /** Round robin (kube-loxilb's default). */
    RR("rr"),
    /** Round robin with client persistence. */
    PERSIST("persist"),
    /** Least connections. */
    LC("lc");

    private final String wire;

    EndpointSelect(String wire) {
        this.wire = wire;
    }

    /** The {@code RuleSet.select} text. */
    public String wire() {
        return wire;
    }

    /** The selection written as {@code text} ({@code roundrobin} means {@code rr}), or empty. */
    public static Optional<EndpointSelect> parse(String text) {
        if ("roundrobin".equals(text)) {
            return Optional.of(RR);
        }
        for (EndpointSelect s : values()) {
            if (s.wire.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The accepted values, for error messages. */
    public static String accepted() {
        return "hash, rr (roundrobin), persist, lc";
    }
}
