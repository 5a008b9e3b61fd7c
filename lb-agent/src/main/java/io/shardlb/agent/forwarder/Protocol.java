package io.shardlb.agent.forwarder;

import java.util.Locale;

/** L4 protocol of a rule, with its IP protocol number. */
public enum Protocol {
    /** IP protocol 6. */
    TCP(6),
    /** IP protocol 17. */
    UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number. */
    public int number() {
        return number;
    }

    /** Parses a Kubernetes protocol name ({@code TCP}, {@code UDP}); empty means TCP. */
    public static Protocol parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "", "TCP" -> TCP;
            case "UDP" -> UDP;
            default -> throw new IllegalArgumentException("unsupported protocol: value=" + value + " (TCP|UDP)");
        };
    }
}
