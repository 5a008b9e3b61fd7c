package io.shardlb.agent.forwarder;

import java.util.HexFormat;

/** A 48-bit Ethernet address held in the low bits of a long; {@link #NONE} when unknown. */
public record MacAddress(long value) {
    /** No address known (the forwarder resolves the neighbour itself). */
    public static final MacAddress NONE = new MacAddress(-1L);

    public MacAddress {
        if (value != -1L && (value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address must fit 48 bits: value=" + Long.toHexString(value));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}. */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address: value=" + text);
        }
        long v = 0;
        for (String p : parts) {
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** True unless this is {@link #NONE}. */
    public boolean known() {
        return value != -1L;
    }

    @Override
    public String toString() {
        if (!known()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            sb.append(HexFormat.of().toHexDigits((byte) (value >>> shift)));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
