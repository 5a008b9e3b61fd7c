package io.shardlb.agent.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/** Sends raw Ethernet frames through an AF_PACKET socket (made in the calling thread's network namespace). */
final class RawFrames implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final short ETH_P_ALL_BE = 0x0300;
    private static final MethodHandle SOCKET;
    private static final MethodHandle SENDTO;
    private static final MethodHandle CLOSE;
    private static final MethodHandle BIND;

    static {
        Linker l = Linker.nativeLinker();
        SOCKET = l.downcallHandle(l.defaultLookup().find("socket").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        SENDTO = l.downcallHandle(l.defaultLookup().find("sendto").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        BIND = l.downcallHandle(l.defaultLookup().find("bind").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        CLOSE = l.downcallHandle(l.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment address = arena.allocate(20, 4);
    private final MemorySegment buffer = arena.allocate(2048, 8);
    private final int fd;

    /** An AF_PACKET socket sending out of interface {@code ifindex}. */
    RawFrames(int ifindex) throws Throwable {
        fd = (int) SOCKET.invokeExact(AF_PACKET, SOCK_RAW, (int) ETH_P_ALL_BE);
        if (fd < 0) {
            throw new IllegalStateException("AF_PACKET socket failed (needs CAP_NET_RAW)");
        }
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
        address.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) 0x0800);
        address.set(ValueLayout.JAVA_INT, 4, ifindex);
        address.set(ValueLayout.JAVA_BYTE, 11, (byte) 6);
        if ((int) BIND.invokeExact(fd, address, 20) != 0) {
            throw new IllegalStateException("AF_PACKET bind failed: ifindex=" + ifindex);
        }
    }

    /** Sends {@code frame} as is; returns false if the kernel refused it. */
    boolean send(byte[] frame) throws Throwable {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        long n = (long) SENDTO.invokeExact(fd, buffer, (long) frame.length, 0, MemorySegment.NULL, 0);
        return n == frame.length;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
