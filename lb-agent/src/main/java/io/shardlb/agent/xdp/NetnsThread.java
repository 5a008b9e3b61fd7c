package io.shardlb.agent.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thread of this JVM moved into a network namespace with setns(2): a socket created by a task on it lives in
 * that namespace for good (a socket's namespace is fixed when it is created), so an in-process server can listen
 * inside the namespace while the rest of this JVM stays in its own.
 */
public final class NetnsThread implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle OPEN;
    private static final MethodHandle SETNS;
    private static final MethodHandle CLOSE;

    static {
        Linker l = Linker.nativeLinker();
        OPEN = l.downcallHandle(l.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        SETNS = l.downcallHandle(l.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        CLOSE = l.downcallHandle(l.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private final String netns;
    private final ExecutorService thread;

    /** A thread inside the named namespace ({@code ip netns add NAME}). */
    public NetnsThread(String netns) {
        this.netns = netns;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("netns-" + netns)
                .unstarted(r));
        call(() -> {
            enter(netns);
            return null;
        });
    }

    private static void enter(String name) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom("/var/run/netns/" + name), 0);
            if (fd < 0) {
                throw new IllegalStateException("cannot open network namespace " + name);
            }
            int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (rc != 0) {
                throw new IllegalStateException("setns into " + name + " failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs {@code task} inside the namespace and returns its result (its exception is rethrown). */
    public <T> T call(Callable<T> task) {
        try {
            return thread.submit(task).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in " + netns, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a task in " + netns + " took over 60 s", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
