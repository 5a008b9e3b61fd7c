package io.shardlb.e2e.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARP monitor of root runs: from its own network namespace, one {@code arping -W 0.01} per VIP asks for it
 * every 10 ms; every answer is recorded with its arrival time ({@link System#nanoTime()}) and the MAC that
 * answered. Answers are grouped into 10 ms rounds from the monitor's start: two MACs in one round for one VIP is a
 * split-brain instant. Needs root, {@code ip} and {@code arping} (Habets); bounded by {@code -w} seconds.
 */
public final class ArpMonitor implements Answerers {
    private static final Pattern REPLY = Pattern.compile("bytes from ([0-9a-fA-F:]{17}) ");

    /** One answer as it arrived. */
    public record Answer(String vip, long atNanos, String mac) {
    }

    private final String netns;
    private final String ifname;
    private final long maxRunSeconds;
    private final long startNanos = System.nanoTime();
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final List<Answer> answers = new ArrayList<>();

    /** A monitor asking from interface {@code ifname} in namespace {@code netns}, for at most the given seconds. */
    public ArpMonitor(String netns, String ifname, long maxRunSeconds) {
        this.netns = netns;
        this.ifname = ifname;
        this.maxRunSeconds = maxRunSeconds;
    }

    /** Starts asking for {@code vip}. */
    public void add(String vip) {
        processes.computeIfAbsent(vip, v -> {
            try {
                Process p = new ProcessBuilder("ip", "netns", "exec", netns, "stdbuf", "-oL", "arping", "-i", ifname,
                        "-W", "0.01", "-w", Long.toString(maxRunSeconds), v)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Thread.ofPlatform().daemon().name("arp-monitor-" + v).start(() -> read(v, p));
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start arping in " + netns, e);
            }
        });
    }

    private void read(String vip, Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    long now = System.nanoTime();
                    synchronized (answers) {
                        answers.add(new Answer(vip, now, m.group(1).toLowerCase(Locale.ROOT)));
                    }
                }
            }
        } catch (IOException e) {
            // arping ended
        }
    }

    /** Every answer so far. */
    public List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    @Override
    public List<Round> rounds() {
        long period = Probe.PERIOD.toNanos();
        Map<String, TreeMap<Long, List<String>>> byVip = new TreeMap<>();
        for (Answer a : answers()) {
            long round = (a.atNanos() - startNanos) / period;
            byVip.computeIfAbsent(a.vip(), v -> new TreeMap<>()).computeIfAbsent(round, r -> new ArrayList<>())
                    .add(a.mac());
        }
        List<Round> out = new ArrayList<>();
        byVip.forEach((vip, rounds) -> rounds.forEach((round, macs) ->
                out.add(new Round(vip, startNanos + round * period, List.copyOf(macs)))));
        return out;
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
