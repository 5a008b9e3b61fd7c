package io.shardlb.agent.xdp;

import static io.shardlb.agent.xdp.Native.INT;
import static io.shardlb.agent.xdp.Native.LONG;
import static io.shardlb.agent.xdp.Native.PTR;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * One libbpf object (our compiled XDP program, read from the classpath), loaded and attached to an interface in
 * native (driver) mode over netlink, so the program and its deadline checks outlive a killed JVM. Gives the fds
 * of its maps. Through libbpf's own symbols; nothing of libbpf's inline code is needed here.
 */
final class BpfProgram implements AutoCloseable {
    /** XDP_FLAGS_DRV_MODE: native XDP (veth supports it; generic mode breaks XDP_TX on veth). */
    static final int XDP_FLAGS_DRV_MODE = 1 << 2;

    private static final MethodHandle OPEN_MEM = Native.errnoCall("bpf_object__open_mem",
            FunctionDescriptor.of(PTR, PTR, LONG, PTR));
    private static final MethodHandle LOAD = Native.call("bpf_object__load", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle FIND_PROG = Native.call("bpf_object__find_program_by_name",
            FunctionDescriptor.of(PTR, PTR, PTR));
    private static final MethodHandle PROG_FD = Native.call("bpf_program__fd", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_FD = Native.call("bpf_object__find_map_fd_by_name",
            FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle ATTACH = Native.call("bpf_xdp_attach",
            FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    private static final MethodHandle DETACH = Native.call("bpf_xdp_detach", FunctionDescriptor.of(INT, INT, INT, PTR));
    private static final MethodHandle CLOSE = Native.call("bpf_object__close", FunctionDescriptor.ofVoid(PTR));

    private final MemorySegment object;
    private final int progFd;
    private int attachedIfindex = -1;

    private BpfProgram(MemorySegment object, int progFd) {
        this.object = object;
        this.progFd = progFd;
    }

    /** Reads {@code resource} (an ELF object) from the classpath, opens and loads it, finds program {@code prog}. */
    static BpfProgram load(String resource, String prog) {
        byte[] elf = readResource(resource);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = Arena.global().allocate(elf.length, 8);
            buf.copyFrom(MemorySegment.ofArray(elf));
            MemorySegment state = a.allocate(Native.CALL_STATE);
            MemorySegment obj = (MemorySegment) OPEN_MEM.invokeExact(state, buf, (long) elf.length,
                    MemorySegment.NULL);
            if (obj.address() == 0) {
                throw new IllegalStateException("bpf_object__open_mem failed: errno=" + Native.errno(state));
            }
            int rc = (int) LOAD.invokeExact(obj);
            if (rc != 0) {
                CLOSE.invokeExact(obj);
                throw new IllegalStateException("bpf_object__load failed: errno=" + -rc
                        + " (needs CAP_BPF/CAP_SYS_ADMIN and the kernel's BTF)");
            }
            MemorySegment p = (MemorySegment) FIND_PROG.invokeExact(obj, a.allocateFrom(prog));
            if (p.address() == 0) {
                CLOSE.invokeExact(obj);
                throw new IllegalStateException("program not in " + resource + ": " + prog);
            }
            return new BpfProgram(obj, (int) PROG_FD.invokeExact(p));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static byte[] readResource(String resource) {
        try (InputStream in = BpfProgram.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("XDP object missing from the classpath: " + resource
                        + " (built by lb-agent/src/main/c/build.sh; needs clang)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fd of map {@code name}. */
    int mapFd(String name) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) MAP_FD.invokeExact(object, a.allocateFrom(name));
            if (fd < 0) {
                throw new IllegalStateException("map not found: " + name + " errno=" + -fd);
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches in native mode to {@code ifindex}, replacing any program there (netlink: survives this JVM). */
    void attach(int ifindex) {
        try {
            int rc = (int) ATTACH.invokeExact(ifindex, progFd, XDP_FLAGS_DRV_MODE, MemorySegment.NULL);
            if (rc != 0) {
                throw new IllegalStateException("bpf_xdp_attach failed: ifindex=" + ifindex + " errno=" + -rc);
            }
            attachedIfindex = ifindex;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            if (attachedIfindex >= 0) {
                int rc = (int) DETACH.invokeExact(attachedIfindex, XDP_FLAGS_DRV_MODE, MemorySegment.NULL);
                if (rc != 0) {
                    org.slf4j.LoggerFactory.getLogger(BpfProgram.class).warn("bpf_xdp_detach: errno={}", -rc);
                }
            }
            CLOSE.invokeExact(object);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
