package io.shardlb.agent.control;

import java.util.Locale;

/** Which datapath the agent drives: the AF_XDP packet forwarder (production) or the loopback proxy (local runs). */
public enum ForwarderKind {
    /** AF_XDP through Panama; needs the XDP forwarder in the build and privileges. */
    XDP,
    /** The NIO proxy on loopback VIPs, no privileges; never a production datapath. */
    PROXY;

    /** {@code xdp} or {@code proxy}. */
    public static ForwarderKind parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--forwarder must be xdp or proxy: forwarder=" + value);
        }
    }

    /** The flag value of this kind. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
