package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.TestBackends;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clients' view of who answers a VIP on loopback: connection after connection to each VIP, and for each the
 * process that accepted it (the kernel's socket table: the established socket of the VIP's port whose peer is
 * this client's port, and the process holding it), plus the backend that answered through it. An agent answers a
 * VIP when its listener accepts a client there; two answerers in turn would interleave in one VIP's answers.
 * Bounded in time and count; stops by itself.
 */
final class ClientProbe implements AutoCloseable {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final int MAX_ROUNDS = 20_000;

    /**
     * One connection: {@code at} the nanoTime its handshake completed (the listener existed then), the pid that
     * accepted it (-1 unknown: not accepted within a second), the backend id that answered (null: none).
     */
    record Answer(int vip, long at, long pid, String backend) {
        boolean answered() {
            return pid > 0 && backend != null;
        }
    }

    private final List<Answer> answers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile String ended;

    /** Probes VIPs 0..count-1 ({@code vips} names each, null while unknown) on {@code port} in turn. */
    ClientProbe(int count, IntFunction<String> vips, int port, Duration maxRun) {
        long end = System.nanoTime() + maxRun.toNanos();
        thread = Thread.ofPlatform().daemon().name("client-probe").start(() -> {
            int round = 0;
            try {
                for (; round < MAX_ROUNDS && !stop && System.nanoTime() - end < 0; round++) {
                    for (int i = 0; i < count; i++) {
                        String vip = vips.apply(i);
                        if (vip != null) {
                            Answer a = probe(i, vip, port);
                            synchronized (answers) {
                                answers.add(a);
                            }
                        }
                    }
                }
                ended = "ended after " + round + " rounds";
            } catch (RuntimeException | Error e) {
                ended = "died in round " + round + ": " + e;
                throw e;
            }
        });
    }

    /** "yes" while probing, else how it ended (a wait on answers after the end can only time out). */
    String running() {
        String e = ended;
        return e == null ? "yes" : e;
    }

    /** One connection to {@code vip:port}; a refused or timed-out connection is no answer (pid -1). */
    static Answer probe(int index, String vip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(vip, port), 1000);
            long at = System.nanoTime();
            long pid = acceptedBy(port, s.getLocalPort());
            s.setSoTimeout(2000);
            String backend;
            try {
                backend = TestBackends.Http.backendOf(TestBackends.Http.post(s,
                        "hello".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                backend = null;
            }
            return new Answer(index, at, pid, backend);
        } catch (IOException e) {
            return new Answer(index, System.nanoTime(), -1, null);
        }
    }

    /** The pid holding the accepted end of the connection from client port {@code clientPort}, or -1. */
    private static long acceptedBy(int port, int clientPort) {
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        do {
            try {
                Process p = new ProcessBuilder("ss", "-Htnp", "state", "established", "sport", "=", ":" + port,
                        "dport", "=", ":" + clientPort).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                Matcher m = PID.matcher(out);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            } catch (IOException e) {
                throw new AssertionError("cannot run ss", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        } while (System.nanoTime() - end < 0);
        return -1;
    }

    List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
