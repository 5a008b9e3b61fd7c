package io.shardlb.agent.engine;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Zeroed off-heap tables backed by transparent huge pages where Linux offers them: an anonymous {@code mmap}
 * advised with {@code MADV_HUGEPAGE} before any page is touched (memory that is already faulted in, as a zeroed
 * {@code Arena} allocation is, stays on 4 KiB pages). Random flow lookups then miss the TLB far less often.
 * Where the calls are missing, {@link #map} returns empty and the caller allocates normally.
 */
final class HugePages {
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Optional<MethodHandle> MMAP = find("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final Optional<MethodHandle> MADVISE = find("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final Optional<MethodHandle> MUNMAP = find("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private HugePages() {
    }

    private static Optional<MethodHandle> find(String name, FunctionDescriptor d) {
        try {
            return LINKER.defaultLookup().find(name).map(a -> LINKER.downcallHandle(a, d));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A zeroed private mapping of {@code size} bytes, huge pages advised; empty if mmap is unavailable. */
    static Optional<MemorySegment> map(long size) {
        if (MMAP.isEmpty() || MADVISE.isEmpty() || MUNMAP.isEmpty()) {
            return Optional.empty();
        }
        try {
            MemorySegment m = (MemorySegment) MMAP.get().invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (m.address() == MAP_FAILED) {
                return Optional.empty();
            }
            MemorySegment s = m.reinterpret(size);
            // advice failing (THP disabled) is harmless: the mapping works on small pages
            int ignored = (int) MADVISE.get().invokeExact(s, size, MADV_HUGEPAGE);
            return Optional.of(s);
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** Unmaps what {@link #map} returned. */
    static void unmap(MemorySegment s) {
        try {
            int ignored = (int) MUNMAP.orElseThrow().invokeExact(s, s.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
