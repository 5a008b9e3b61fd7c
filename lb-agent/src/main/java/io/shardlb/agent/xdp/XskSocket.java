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
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UMEM and one AF_XDP socket on it (libxdp's {@code xsk_umem__create} / {@code xsk_socket__create}), copy mode
 * (veth has no zero-copy), {@code XDP_USE_NEED_WAKEUP}, with libxdp's own program load inhibited: our program
 * redirects through our XSKMAP. Exposes the four rings as {@link XskRing} flyweights and the UMEM as a segment.
 */
final class XskSocket implements AutoCloseable {
    static final int XDP_COPY = 1 << 1;
    static final int XDP_USE_NEED_WAKEUP = 1 << 3;
    static final int INHIBIT_PROG_LOAD = 1;
    private static final int EBUSY = 16;
    private static final int MSG_DONTWAIT = 0x40;
    private static final Logger LOG = LoggerFactory.getLogger(XskSocket.class);

    /** {@code struct xsk_umem_config}. */
    static final StructLayout UMEM_CONFIG = MemoryLayout.structLayout(
            INT.withName("fill_size"), INT.withName("comp_size"), INT.withName("frame_size"),
            INT.withName("frame_headroom"), INT.withName("flags"));
    /** {@code struct xsk_socket_config} (libxdp 1.3). */
    static final StructLayout SOCKET_CONFIG = MemoryLayout.structLayout(
            INT.withName("rx_size"), INT.withName("tx_size"), INT.withName("libxdp_flags"),
            INT.withName("xdp_flags"), ValueLayout.JAVA_SHORT.withName("bind_flags"), MemoryLayout.paddingLayout(2));

    private static final MethodHandle UMEM_CREATE = Native.call("xsk_umem__create",
            FunctionDescriptor.of(INT, PTR, PTR, LONG, PTR, PTR, PTR));
    private static final MethodHandle SOCKET_CREATE = Native.call("xsk_socket__create",
            FunctionDescriptor.of(INT, PTR, PTR, INT, PTR, PTR, PTR, PTR));
    private static final MethodHandle SOCKET_FD = Native.call("xsk_socket__fd", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SOCKET_DELETE = Native.call("xsk_socket__delete",
            FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle UMEM_DELETE = Native.call("xsk_umem__delete", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SENDTO = Native.call("sendto",
            FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));

    private final Arena arena = Arena.ofShared();
    final MemorySegment umemArea;
    final XskRing fill;
    final XskRing completion;
    final XskRing rx;
    final XskRing tx;
    final int fd;
    private final MemorySegment umem;
    private final MemorySegment socket;

    /** Creates the UMEM ({@code frames} × {@code frameSize}) and binds a socket to {@code ifname} queue 0. */
    XskSocket(String ifname, int frames, int frameSize, int ringSize) {
        umemArea = arena.allocate((long) frames * frameSize, 4096);
        MemorySegment fillS = arena.allocate(XskRing.STRUCT);
        MemorySegment compS = arena.allocate(XskRing.STRUCT);
        MemorySegment rxS = arena.allocate(XskRing.STRUCT);
        MemorySegment txS = arena.allocate(XskRing.STRUCT);
        try {
            MemorySegment uc = arena.allocate(UMEM_CONFIG);
            uc.set(INT, 0, ringSize);
            uc.set(INT, 4, ringSize);
            uc.set(INT, 8, frameSize);
            MemorySegment umemPtr = arena.allocate(PTR);
            int rc = (int) UMEM_CREATE.invokeExact(umemPtr, umemArea, umemArea.byteSize(), fillS, compS, uc);
            if (rc != 0) {
                throw new IllegalStateException("xsk_umem__create failed: errno=" + -rc
                        + " (needs CAP_NET_RAW and CAP_IPC_LOCK or a memlock limit above the UMEM)");
            }
            umem = umemPtr.get(PTR, 0);
            MemorySegment sc = arena.allocate(SOCKET_CONFIG);
            sc.set(INT, 0, ringSize);
            sc.set(INT, 4, ringSize);
            sc.set(INT, 8, INHIBIT_PROG_LOAD);
            sc.set(INT, 12, BpfProgram.XDP_FLAGS_DRV_MODE);
            sc.set(ValueLayout.JAVA_SHORT, 16, (short) (XDP_COPY | XDP_USE_NEED_WAKEUP));
            socket = bindWithRetry(ifname, umem, rxS, txS, sc);
            fd = (int) SOCKET_FD.invokeExact(socket);
        } catch (Throwable t) {
            arena.close();
            throw Native.rethrow(t);
        }
        fill = new XskRing(fillS, 8);
        completion = new XskRing(compS, 8);
        rx = new XskRing(rxS, 16);
        tx = new XskRing(txS, 16);
    }

    /** Binding right after a previous socket on the same queue closed fails with EBUSY for ~50 ms: retry. */
    private MemorySegment bindWithRetry(String ifname, MemorySegment umemP, MemorySegment rxS, MemorySegment txS,
                                        MemorySegment sc) throws Throwable {
        MemorySegment name = arena.allocateFrom(ifname);
        MemorySegment out = arena.allocate(PTR);
        long backoffMs = 10;
        for (int attempt = 1; ; attempt++) {
            int rc = (int) SOCKET_CREATE.invokeExact(out, name, 0, umemP, rxS, txS, sc);
            if (rc == 0) {
                return out.get(PTR, 0);
            }
            if (-rc != EBUSY || attempt >= 12) {
                throw new IllegalStateException("xsk_socket__create failed: ifname=" + ifname + " errno=" + -rc);
            }
            LOG.info("AF_XDP bind busy (previous socket still tearing down), retrying in {} ms", backoffMs);
            LockSupport.parkNanos(backoffMs * 1_000_000L);
            backoffMs = Math.min(backoffMs * 2, 500);
        }
    }

    /** Asks the kernel to send what the TX ring holds (copy mode sends only inside a syscall). */
    void kickTx() {
        try {
            long ignored = (long) SENDTO.invokeExact(fd, MemorySegment.NULL, 0L, MSG_DONTWAIT, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            SOCKET_DELETE.invokeExact(socket);
            int rc = (int) UMEM_DELETE.invokeExact(umem);
            if (rc != 0) {
                LOG.warn("xsk_umem__delete: errno={}", -rc);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
