package io.shardlb.agent.engine;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Linux to back a large off-heap table with transparent huge pages ({@code madvise(MADV_HUGEPAGE)}), so
 * that random flow lookups miss the TLB far less often. Best effort: where THP is off or the call is missing,
 * the table works the same, only slower.
 */
final class HugePages {
    private static final Logger LOG = LoggerFactory.getLogger(HugePages.class);
    /** 2 MiB: the x86-64 huge page, also the alignment the advice needs to take effect. */
    static final long HUGE_PAGE = 2L << 20;
    private static final int MADV_HUGEPAGE = 14;
    private static final Optional<MethodHandle> MADVISE = lookup();

    private HugePages() {
    }

    private static Optional<MethodHandle> lookup() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("madvise").map(addr -> linker.downcallHandle(addr,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Advises huge pages for {@code segment} (allocated with {@link #HUGE_PAGE} alignment); true if accepted. */
    static boolean advise(MemorySegment segment) {
        if (MADVISE.isEmpty() || segment.byteSize() < HUGE_PAGE) {
            return false;
        }
        try {
            int rc = (int) MADVISE.get().invokeExact(segment, segment.byteSize(), MADV_HUGEPAGE);
            return rc == 0;
        } catch (Throwable t) {
            LOG.debug("madvise(MADV_HUGEPAGE) failed: {}", t.toString());
            return false;
        }
    }
}
