package io.shardlb.agent.xdp;

import static io.shardlb.agent.xdp.Native.INT;
import static io.shardlb.agent.xdp.Native.LONG;
import static io.shardlb.agent.xdp.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/**
 * The maps of shardlb_xdp.c, written through libbpf's {@code bpf_map_*_elem} syscall wrappers. The struct layouts
 * here mirror the C ones (a test compares them with the object's BTF). Keys and addresses are in network order
 * as the program reads them from frames; the deadline is CLOCK_MONOTONIC nanoseconds ({@code System.nanoTime()}).
 */
final class BpfMaps {
    /** {@code struct vip_value { __u64 deadline_ns; __u8 mac[6]; __u8 pad[2]; }}. */
    static final StructLayout VIP_VALUE = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("deadline_ns"),
            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_BYTE).withName("mac"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_BYTE).withName("pad"));
    /** {@code struct cfg_value { __u32 agent_ip; __u16 nat_lo; __u16 nat_hi; __u32 flags; }}. */
    static final StructLayout CFG_VALUE = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("agent_ip"),
            ValueLayout.JAVA_SHORT.withName("nat_lo"),
            ValueLayout.JAVA_SHORT.withName("nat_hi"),
            ValueLayout.JAVA_INT.withName("flags"));
    /** cfg flag: ARP is answered by the TC-ingress program, the XDP program passes it. */
    static final int CFG_ARP_IN_TC = 1;
    /** {@code struct backend_key { __u32 ip; __u16 port; __u8 proto; __u8 pad; }} (ip and port in network order). */
    static final StructLayout BACKEND_KEY = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("ip"),
            ValueLayout.JAVA_SHORT.withName("port"),
            ValueLayout.JAVA_BYTE.withName("proto"),
            ValueLayout.JAVA_BYTE.withName("pad"));
    /** Indices of the per-CPU {@code stats} array (enum stat_index). */
    static final int ST_ARP_REPLIED = 0;
    static final int ST_ARP_EXPIRED = 1;
    static final int ST_VIP_REDIRECT = 2;
    static final int ST_VIP_EXPIRED = 3;
    static final int ST_NAT_REDIRECT = 4;
    static final int ST_REDIRECT_FALLBACK = 5;
    static final int ST_REPLY_REDIRECT = 6;

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final MethodHandle UPDATE = Native.call("bpf_map_update_elem",
            FunctionDescriptor.of(INT, INT, PTR, PTR, LONG));
    private static final MethodHandle DELETE = Native.call("bpf_map_delete_elem",
            FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle LOOKUP = Native.call("bpf_map_lookup_elem",
            FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle CPUS = Native.call("libbpf_num_possible_cpus", FunctionDescriptor.of(INT));

    private final int vips;
    private final int xsks;
    private final int backends;
    private final int cfg;
    private final int stats;

    BpfMaps(BpfProgram program) {
        this.vips = program.mapFd("vips");
        this.xsks = program.mapFd("xsks");
        this.backends = program.mapFd("backends");
        this.cfg = program.mapFd("cfg");
        this.stats = program.mapFd("stats");
    }

    /** Sets (or moves) the deadline of {@code vip} (host-order int as from {@code Addresses.toInt}). */
    synchronized void putVip(int vip, long deadlineNanos, long mac) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment key = a.allocate(4);
            key.set(BE_INT, 0, vip);
            MemorySegment value = a.allocate(VIP_VALUE);
            value.set(ValueLayout.JAVA_LONG, 0, deadlineNanos);
            putMac(value, 8, mac);
            check("vips update", (int) UPDATE.invokeExact(vips, key, value, 0L));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Forgets {@code vip}; absent is fine. */
    synchronized void deleteVip(int vip) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment key = a.allocate(4);
            key.set(BE_INT, 0, vip);
            int rc = (int) DELETE.invokeExact(vips, key);
            if (rc != 0 && rc != -2) {
                check("vips delete", rc);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Redirects replies from backend {@code ip}:{@code port} ({@code protocol} number) to the socket. */
    synchronized void putBackend(int ip, int port, int protocol) {
        try (Arena a = Arena.ofConfined()) {
            check("backends update", (int) UPDATE.invokeExact(backends, backendKey(a, ip, port, protocol),
                    a.allocateFrom(INT, 1), 0L));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Stops redirecting replies from that backend; absent is fine. */
    synchronized void deleteBackend(int ip, int port, int protocol) {
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) DELETE.invokeExact(backends, backendKey(a, ip, port, protocol));
            if (rc != 0 && rc != -2) {
                check("backends delete", rc);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static MemorySegment backendKey(Arena a, int ip, int port, int protocol) {
        MemorySegment key = a.allocate(BACKEND_KEY);
        key.set(BE_INT, 0, ip);
        key.set(BE_SHORT, 4, (short) port);
        key.set(ValueLayout.JAVA_BYTE, 6, (byte) protocol);
        return key;
    }

    /** The agent's address and NAT port range (the return path of onearm flows), and the {@code CFG_*} flags. */
    void putConfig(int agentIp, int natFirst, int natLast, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment key = a.allocate(INT, 0);
            MemorySegment value = a.allocate(CFG_VALUE);
            value.set(BE_INT, 0, agentIp);
            value.set(ValueLayout.JAVA_SHORT, 4, (short) natFirst);
            value.set(ValueLayout.JAVA_SHORT, 6, (short) natLast);
            value.set(ValueLayout.JAVA_INT, 8, flags);
            check("cfg update", (int) UPDATE.invokeExact(cfg, key, value, 0L));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Puts the AF_XDP socket {@code fd} at {@code queue} of the XSKMAP. */
    void putSocket(int queue, int fd) {
        try (Arena a = Arena.ofConfined()) {
            check("xsks update", (int) UPDATE.invokeExact(xsks, a.allocateFrom(INT, queue),
                    a.allocateFrom(INT, fd), 0L));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The sum over CPUs of counter {@code index}. */
    long stat(int index) {
        try (Arena a = Arena.ofConfined()) {
            int cpus = (int) CPUS.invokeExact();
            MemorySegment values = a.allocate(LONG, Math.max(1, cpus));
            check("stats lookup", (int) LOOKUP.invokeExact(stats, a.allocateFrom(INT, index), values));
            long sum = 0;
            for (int i = 0; i < cpus; i++) {
                sum += values.getAtIndex(LONG, i);
            }
            return sum;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void putMac(MemorySegment s, long offset, long mac) {
        for (int i = 0; i < 6; i++) {
            s.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (mac >>> (8 * (5 - i))));
        }
    }

    private static void check(String what, int rc) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: errno=" + -rc);
        }
    }
}
