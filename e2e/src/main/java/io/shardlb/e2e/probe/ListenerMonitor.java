package io.shardlb.e2e.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The loopback stand-in for the ARP monitor: every 10 ms it reads the kernel's socket table
 * ({@code /proc/net/tcp}) and records, per VIP, the listening sockets bound to {@code vip:port} (by inode). The
 * loopback proxy answers for a VIP by listening on it, so two listeners in one round are two answerers. Judged by
 * the kernel, not by the agents' own reports. Stops by itself after {@code maxRun}.
 */
public final class ListenerMonitor implements Answerers {
    private static final String LISTEN = "0A";
    private static final String V4_MAPPED = "0000000000000000FFFF0000";
    private final List<Path> tables;
    private final int port;
    private final Set<String> vips = new CopyOnWriteArraySet<>();
    private final List<Round> rounds = new ArrayList<>();
    private final Thread loop;
    private volatile boolean stop;

    /** Watches {@code vip:port} listeners in this network namespace. */
    public ListenerMonitor(int port, Duration maxRun) {
        // Java listens on IPv6 sockets by default: an IPv4 VIP then shows in tcp6 as ::ffff:a.b.c.d
        this(List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")), port, maxRun);
    }

    ListenerMonitor(List<Path> tables, int port, Duration maxRun) {
        this.tables = tables;
        this.port = port;
        long end = System.nanoTime() + maxRun.toNanos();
        loop = Thread.ofPlatform().daemon().name("listener-monitor").start(() -> run(end));
    }

    /** Adds a VIP to watch. */
    public void add(String vip) {
        vips.add(vip);
    }

    private void run(long endNanos) {
        long period = Probe.PERIOD.toNanos();
        long next = System.nanoTime();
        while (!stop && System.nanoTime() - endNanos < 0) {
            scan();
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private void scan() {
        long at = System.nanoTime();
        List<String> lines = new ArrayList<>();
        for (Path table : tables) {
            try {
                lines.addAll(Files.readAllLines(table));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
        }
        for (String vip : vips) {
            String local = hexAddress(vip) + ":" + String.format(Locale.ROOT, "%04X", port);
            String mapped = V4_MAPPED + local;
            List<String> inodes = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && (f[1].equals(local) || f[1].equals(mapped)) && f[3].equals(LISTEN)) {
                    inodes.add("inode:" + f[9]);
                }
            }
            if (!inodes.isEmpty()) {
                synchronized (rounds) {
                    rounds.add(new Round(vip, at, List.copyOf(inodes)));
                }
            }
        }
    }

    /** The address as /proc/net/tcp prints it: the 32-bit value in host (little-endian) order, in hex. */
    static String hexAddress(String vip) {
        byte[] b;
        try {
            b = InetAddress.getByName(vip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + vip, e);
        }
        return String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]);
    }

    @Override
    public List<Round> rounds() {
        synchronized (rounds) {
            return List.copyOf(rounds);
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
