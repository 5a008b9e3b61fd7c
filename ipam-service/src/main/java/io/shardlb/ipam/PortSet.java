package io.shardlb.ipam;

import io.shardlb.events.schema.ServicePort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The port/protocol pairs a Service serves on its VIP, sorted, as compact numbers. Two Services may share a VIP in
 * shared mode only when their sets are disjoint on <em>every</em> pair (kube-loxilb checked only the first port).
 * The empty set stands for "the whole address": it overlaps everything, so a record written without ports can
 * never share by accident.
 */
public final class PortSet {
    /** The empty set (the whole address). */
    public static final PortSet WHOLE_ADDRESS = new PortSet(new long[0]);

    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

    private final long[] keys;
    /** The texts, built once: every record for this set shares one list, and replay recognizes it. */
    private List<String> texts;

    private PortSet(long[] sortedDistinct) {
        this.keys = sortedDistinct;
    }

    /** A set from {@code "80/TCP"} texts (protocol defaults to TCP; case-insensitive). */
    public static PortSet parse(Collection<String> texts) {
        long[] k = new long[texts.size()];
        int i = 0;
        for (String t : texts) {
            int slash = t.indexOf('/');
            String port = slash < 0 ? t : t.substring(0, slash);
            String proto = slash < 0 ? "TCP" : t.substring(slash + 1);
            try {
                k[i++] = key(Integer.parseInt(port.trim()), proto);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port/protocol: " + t, e);
            }
        }
        return of(k);
    }

    /** A set from port/protocol pairs. */
    public static PortSet of(int port, String protocol) {
        return of(new long[] {key(port, protocol)});
    }

    /** The ports of a Service spec. */
    public static PortSet ofServicePorts(Collection<ServicePort> ports) {
        long[] k = new long[ports.size()];
        int i = 0;
        for (ServicePort p : ports) {
            k[i++] = key(p.port(), p.protocol());
        }
        return of(k);
    }

    private static PortSet of(long[] k) {
        if (k.length == 0) {
            return WHOLE_ADDRESS;
        }
        long[] s = Arrays.stream(k).sorted().distinct().toArray();
        return new PortSet(s);
    }

    private static long key(int port, String protocol) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: port=" + port);
        }
        int p = PROTOCOLS.indexOf(protocol.trim().toUpperCase(Locale.ROOT));
        if (p < 0) {
            throw new IllegalArgumentException("unknown protocol (TCP, UDP or SCTP): protocol=" + protocol);
        }
        return ((long) p << 16) | port;
    }

    /** Whether no pair is in both sets (the empty set overlaps everything). */
    public boolean disjoint(PortSet other) {
        if (keys.length == 0 || other.keys.length == 0) {
            return false;
        }
        int i = 0;
        int j = 0;
        while (i < keys.length && j < other.keys.length) {
            if (keys[i] == other.keys[j]) {
                return false;
            }
            if (keys[i] < other.keys[j]) {
                i++;
            } else {
                j++;
            }
        }
        return true;
    }

    /** The pairs as {@code "80/TCP"} texts, in order (the form written in records). */
    public List<String> texts() {
        List<String> t = texts;
        if (t == null) {
            List<String> out = new ArrayList<>(keys.length);
            for (long k : keys) {
                out.add((k & 0xffff) + "/" + PROTOCOLS.get((int) (k >>> 16)));
            }
            t = List.copyOf(out);
            texts = t;
        }
        return t;
    }

    /** Whether this is the whole-address set. */
    public boolean isWholeAddress() {
        return keys.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet p && Arrays.equals(keys, p.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return keys.length == 0 ? "[whole address]" : texts().toString();
    }
}
