package io.shardlb.agent.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcalls into libc, libbpf and libxdp. Every handle captures errno so that a failing call can say why; libbpf
 * and libxdp return {@code -errno} themselves from their int functions.
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final SymbolLookup LIBS = SymbolLookup.libraryLookup("libxdp.so.1", Arena.global())
            .or(SymbolLookup.libraryLookup("libbpf.so.1", Arena.global()))
            .or(LINKER.defaultLookup());

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private Native() {
    }

    /** A downcall to {@code name} that writes errno into a leading call-state segment argument. */
    static MethodHandle errnoCall(String name, FunctionDescriptor fd) {
        MemorySegment sym = LIBS.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name
                + " (apt-get install libxdp1 libbpf1)"));
        return LINKER.downcallHandle(sym, fd, Linker.Option.captureCallState("errno"));
    }

    /** A plain downcall to {@code name}. */
    static MethodHandle call(String name, FunctionDescriptor fd) {
        MemorySegment sym = LIBS.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name
                + " (apt-get install libxdp1 libbpf1)"));
        return LINKER.downcallHandle(sym, fd);
    }

    /** The errno a captured call left. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Wraps a Throwable from invokeExact (which declares Throwable) as unchecked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
