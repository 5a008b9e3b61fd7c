package io.shardlb.e2e.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The client that judges "no disruption", the same in every scenario: for each VIP, a new TCP connection per
 * request every 10 ms (2 s timeout, no retry), and one long-lived connection exchanging a line every 10 ms. A
 * request counts as failed if it errors or times out. Requests run on virtual threads so a hung one never delays
 * the next. Every exchange is recorded with its start time; the probe stops by itself after {@code maxRun}.
 */
public final class Probe implements AutoCloseable {
    /** The probe's period. */
    public static final Duration PERIOD = Duration.ofMillis(10);
    /** How long one exchange may take before it counts as failed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final int port;
    private final Sockets sockets;
    private final long stopAtNanos;
    private final long origin = System.nanoTime();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("probe-tick").factory());
    private final Map<String, List<ScheduledFuture<?>>> running = new ConcurrentHashMap<>();
    private final Map<String, LongLived> longLived = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();
    /** Start times of successful new-connection requests per VIP: waits poll this every 10 ms, so no list scan. */
    private final Map<String, java.util.concurrent.ConcurrentSkipListSet<Long>> okStarts = new ConcurrentHashMap<>();

    /** A probe of VIPs on {@code port}; every loop ends after {@code maxRun} at the latest. */
    public Probe(int port, Duration maxRun) {
        this(port, maxRun, Socket::new);
    }

    /**
     * As {@link #Probe(int, Duration)}, each connection's socket made by {@code sockets}: a probe in a client
     * network namespace creates its sockets on a thread inside it (a socket's namespace is fixed at creation).
     */
    public Probe(int port, Duration maxRun, Sockets sockets) {
        this.port = port;
        this.stopAtNanos = System.nanoTime() + maxRun.toNanos();
        this.sockets = sockets;
    }

    /** Makes the unconnected socket of one connection (created, not yet connected). */
    @FunctionalInterface
    public interface Sockets {
        Socket create() throws IOException;
    }

    /** Starts probing {@code vip} (both kinds); a VIP already probed is left as it is. */
    public void add(String vip) {
        running.computeIfAbsent(vip, v -> {
            LongLived ll = new LongLived(v);
            longLived.put(v, ll);
            long period = PERIOD.toNanos();
            return List.of(
                    ticks.scheduleAtFixedRate(() -> fire(v), 0, period, TimeUnit.NANOSECONDS),
                    ticks.scheduleAtFixedRate(() -> Thread.ofVirtual().start(ll::exchange), 0, period,
                            TimeUnit.NANOSECONDS));
        });
    }

    /** Stops probing {@code vip} (its record stays). */
    public void remove(String vip) {
        List<ScheduledFuture<?>> f = running.remove(vip);
        if (f != null) {
            f.forEach(x -> x.cancel(false));
        }
        LongLived ll = longLived.remove(vip);
        if (ll != null) {
            ll.close();
        }
    }

    private void fire(String vip) {
        if (System.nanoTime() - stopAtNanos > 0) {
            remove(vip);
            return;
        }
        Thread.ofVirtual().start(() -> request(vip));
    }

    private void request(String vip) {
        long at = System.nanoTime();
        try (Socket s = sockets.create()) {
            s.connect(new InetSocketAddress(vip, port), (int) TIMEOUT.toMillis());
            long left = TIMEOUT.toMillis() - (System.nanoTime() - at) / 1_000_000;
            s.setSoTimeout((int) Math.max(1, left));
            s.setTcpNoDelay(true);
            s.getOutputStream().write("req\n".getBytes(StandardCharsets.US_ASCII));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            record(new Attempt(vip, Attempt.Kind.NEW_CONNECTION, at, line != null, line == null ? "eof" : line));
        } catch (IOException e) {
            record(new Attempt(vip, Attempt.Kind.NEW_CONNECTION, at, false, e.toString()));
        }
    }

    private void record(Attempt a) {
        synchronized (attempts) {
            attempts.add(a);
        }
        if (a.ok() && a.kind() == Attempt.Kind.NEW_CONNECTION) {
            // offset so that nanoTime's arbitrary origin never makes the order wrap
            okStarts.computeIfAbsent(a.vip(), v -> new java.util.concurrent.ConcurrentSkipListSet<>())
                    .add(a.atNanos() - origin);
        }
    }

    /** Every exchange so far, in the order they completed. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** The exchanges that started in [fromNanos, toNanos) and match {@code which}. */
    public List<Attempt> between(long fromNanos, long toNanos, Predicate<Attempt> which) {
        return attempts().stream().filter(a -> a.atNanos() - fromNanos >= 0 && a.atNanos() - toNanos < 0)
                .filter(which).toList();
    }

    /** Start of the first successful new-connection request to {@code vip} started at or after {@code from}. */
    public OptionalLong firstOkAfter(String vip, long fromNanos) {
        var starts = okStarts.get(vip);
        Long t = starts == null ? null : starts.ceiling(fromNanos - origin);
        return t == null ? OptionalLong.empty() : OptionalLong.of(t + origin);
    }

    @Override
    public void close() {
        List.copyOf(running.keySet()).forEach(this::remove);
        ticks.shutdownNow();
    }

    /** The long-lived connection of one VIP; a failed exchange closes it and the next tick opens a new one. */
    private final class LongLived {
        private final String vip;
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;
        private boolean closed;

        LongLived(String vip) {
            this.vip = vip;
        }

        /** One exchange; skipped while the previous one still runs (a slow answer is not two failures). */
        void exchange() {
            if (!tryLock()) {
                return;
            }
            long at = System.nanoTime();
            try {
                if (socket == null) {
                    Socket s = sockets.create();
                    s.connect(new InetSocketAddress(vip, port), (int) TIMEOUT.toMillis());
                    s.setSoTimeout((int) TIMEOUT.toMillis());
                    s.setTcpNoDelay(true);
                    socket = s;
                    in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    out = s.getOutputStream();
                }
                out.write("msg\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("eof");
                }
                record(new Attempt(vip, Attempt.Kind.LONG_LIVED, at, true, line));
            } catch (IOException e) {
                record(new Attempt(vip, Attempt.Kind.LONG_LIVED, at, false, e.toString()));
                drop();
            } finally {
                unlock();
            }
        }

        private boolean busy;

        private synchronized boolean tryLock() {
            if (busy || closed) {
                return false;
            }
            busy = true;
            return true;
        }

        private synchronized void unlock() {
            busy = false;
            if (closed) {
                drop();
            }
        }

        private void drop() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a broken socket: nothing more to learn
                }
            }
            socket = null;
        }

        synchronized void close() {
            closed = true;
            if (!busy) {
                drop();
            }
        }
    }
}
