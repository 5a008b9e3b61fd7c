package io.shardlb.agent.xdp;

import static io.shardlb.agent.xdp.Native.INT;
import static io.shardlb.agent.xdp.Native.LONG;
import static io.shardlb.agent.xdp.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The idle wait of the datapath loop: poll(2) on the AF_XDP socket (RX ready; also the wakeup the kernel asks for
 * with need-wakeup) and an eventfd that control threads write to when they queue a command. Preallocated: a wait
 * allocates nothing.
 */
final class Poller implements AutoCloseable {
    private static final short POLLIN = 1;
    private static final int EFD_NONBLOCK = 0x800;
    private static final MethodHandle POLL = Native.call("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle EVENTFD = Native.call("eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle WRITE = Native.call("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle READ = Native.call("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle CLOSE = Native.call("close", FunctionDescriptor.of(INT, INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment fds = arena.allocate(16, 8);
    private final MemorySegment readBuf = arena.allocate(8, 8);
    private final MemorySegment one = arena.allocate(8, 8);
    private final int eventFd;

    Poller(int socketFd) {
        try {
            eventFd = (int) EVENTFD.invokeExact(0, EFD_NONBLOCK);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (eventFd < 0) {
            throw new IllegalStateException("eventfd failed");
        }
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        fds.set(INT, 0, socketFd);
        fds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        fds.set(INT, 8, eventFd);
        fds.set(ValueLayout.JAVA_SHORT, 12, POLLIN);
    }

    /** Waits up to {@code timeoutMs} for a frame or a {@link #wake()}; returns poll's result. */
    int await(int timeoutMs) {
        try {
            fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
            int n = (int) POLL.invokeExact(fds, 2L, timeoutMs);
            if (n > 0 && fds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                long ignored = (long) READ.invokeExact(eventFd, readBuf, 8L);
            }
            return n;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Makes a waiting {@link #await} return; callable from any thread. */
    void wake() {
        try {
            long ignored = (long) WRITE.invokeExact(eventFd, one, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(eventFd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
