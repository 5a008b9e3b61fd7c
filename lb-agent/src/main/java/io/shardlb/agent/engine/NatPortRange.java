package io.shardlb.agent.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Source ports the engine uses for SNAT ({@code onearm}, {@code fullnat}). They must lie outside the kernel's
 * ephemeral range ({@code net.ipv4.ip_local_port_range}) so that the kernel's own connections on the agent
 * address never collide with ours; checking at start means no sysctl and no privilege is needed.
 */
public record NatPortRange(int first, int last) {
    /** 61000–65535: above Linux's default ephemeral range 32768–60999. */
    public static final NatPortRange DEFAULT = new NatPortRange(61000, 65535);
    /** Where Linux publishes its ephemeral range. */
    public static final Path KERNEL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    public NatPortRange {
        if (first < 1024 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad NAT port range: " + first + "-" + last
                    + " (need 1024 <= first <= last <= 65535)");
        }
    }

    /** Number of ports. */
    public int size() {
        return last - first + 1;
    }

    /**
     * Throws a clear error if this range overlaps the kernel ephemeral range given as the content of
     * {@code ip_local_port_range} ("low high").
     */
    public NatPortRange checkOutside(String ipLocalPortRange) {
        String[] parts = ipLocalPortRange.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cannot read ip_local_port_range: value=" + ipLocalPortRange);
        }
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[1]);
        if (first <= high && low <= last) {
            throw new IllegalStateException("NAT port range " + first + "-" + last
                    + " overlaps the kernel's ephemeral range " + low + "-" + high
                    + " (net.ipv4.ip_local_port_range): choose a NAT range outside it");
        }
        return this;
    }

    /** {@link #checkOutside(String)} against this machine's kernel (when the file exists). */
    public NatPortRange checkAgainstKernel() {
        if (!Files.isReadable(KERNEL_RANGE)) {
            return this;
        }
        // procfs reports size 0 and may return short reads to bulk readers: read it as a stream of lines
        try (java.io.BufferedReader r = Files.newBufferedReader(KERNEL_RANGE)) {
            String line = r.readLine();
            return checkOutside(line == null ? "" : line);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + KERNEL_RANGE, e);
        }
    }
}
