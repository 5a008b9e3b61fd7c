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
    private static final MethodHandle TC_HOOK_CREATE = Native.call("bpf_tc_hook_create",
            FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle TC_ATTACH = Native.call("bpf_tc_attach", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle TC_DETACH = Native.call("bpf_tc_detach", FunctionDescriptor.of(INT, PTR, PTR));
    /** {@code struct bpf_tc_hook { size_t sz; int ifindex; enum attach_point; __u32 parent; }}: 24 bytes. */
    private static final long TC_HOOK_SIZE = 24;
    /** {@code struct bpf_tc_opts { size_t sz; int prog_fd; __u32 flags, prog_id, handle, priority; }}: 32 bytes. */
    private static final long TC_OPTS_SIZE = 32;
    private static final int BPF_TC_INGRESS = 1;
    private static final int BPF_TC_F_REPLACE = 1;
    /** Our filter's handle and priority on the clsact ingress hook (replaced by a restarted agent). */
    private static final int TC_HANDLE = 0x5b1;
    private static final int TC_PRIORITY = 1;
    private static final MethodHandle CLOSE = Native.call("bpf_object__close", FunctionDescriptor.ofVoid(PTR));

    private final MemorySegment object;
    private final int progFd;
    private int attachedIfindex = -1;
    private int tcIfindex = -1;

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

    /**
     * Attaches program {@code prog} of this object at TC ingress of {@code ifindex} (clsact qdisc made if missing;
     * our filter replaced if there; netlink, so it outlives this JVM like the XDP program).
     */
    void attachTcIngress(int ifindex, String prog) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) FIND_PROG.invokeExact(object, a.allocateFrom(prog));
            if (p.address() == 0) {
                throw new IllegalStateException("program not in the object: " + prog);
            }
            MemorySegment hook = tcHook(a, ifindex);
            int rc = (int) TC_HOOK_CREATE.invokeExact(hook);
            if (rc != 0 && rc != -17) { // -EEXIST: the clsact qdisc is there already (maybe with others' filters)
                throw new IllegalStateException("bpf_tc_hook_create failed: ifindex=" + ifindex + " errno=" + -rc);
            }
            MemorySegment opts = tcOpts(a, (int) PROG_FD.invokeExact(p), BPF_TC_F_REPLACE);
            rc = (int) TC_ATTACH.invokeExact(hook, opts);
            if (rc != 0) {
                throw new IllegalStateException("bpf_tc_attach failed: ifindex=" + ifindex + " errno=" + -rc);
            }
            tcIfindex = ifindex;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static MemorySegment tcHook(Arena a, int ifindex) {
        MemorySegment hook = a.allocate(TC_HOOK_SIZE, 8);
        hook.set(LONG, 0, TC_HOOK_SIZE);
        hook.set(INT, 8, ifindex);
        hook.set(INT, 12, BPF_TC_INGRESS);
        return hook;
    }

    private static MemorySegment tcOpts(Arena a, int progFd, int flags) {
        MemorySegment opts = a.allocate(TC_OPTS_SIZE, 8);
        opts.set(LONG, 0, TC_OPTS_SIZE);
        opts.set(INT, 8, progFd);
        opts.set(INT, 12, flags);
        opts.set(INT, 20, TC_HANDLE);
        opts.set(INT, 24, TC_PRIORITY);
        return opts;
    }

    @Override
    public void close() {
        try {
            if (tcIfindex >= 0) {
                try (Arena a = Arena.ofConfined()) {
                    // only our filter goes; the clsact qdisc may carry other programs' filters
                    int rc = (int) TC_DETACH.invokeExact(tcHook(a, tcIfindex), tcOpts(a, 0, 0));
                    if (rc != 0) {
                        org.slf4j.LoggerFactory.getLogger(BpfProgram.class).warn("bpf_tc_detach: errno={}", -rc);
                    }
                }
            }
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
