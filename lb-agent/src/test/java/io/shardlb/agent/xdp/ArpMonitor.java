package io.shardlb.agent.xdp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitor: arping for a VIP every 10 ms from namespace slbx-mon, recording each answer's arrival time
 * ({@link System#nanoTime()}) and the MAC that answered.
 */
final class ArpMonitor implements AutoCloseable {
    private static final Pattern REPLY = Pattern.compile("bytes from ([0-9a-f:]{17}) ");

    /** One answer. */
    record Answer(long atNanos, String mac) {
    }

    private final Process process;
    private final Thread reader;
    private final List<Answer> answers = new ArrayList<>();

    ArpMonitor(InetAddress vip) {
        try {
            process = new ProcessBuilder("ip", "netns", "exec", XdpTopology.PREFIX + "mon", "stdbuf", "-oL",
                    "arping", "-i", XdpTopology.ifname("mon"), "-W", "0.01", vip.getHostAddress())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = Thread.ofPlatform().daemon().start(this::read);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    long now = System.nanoTime();
                    synchronized (answers) {
                        answers.add(new Answer(now, m.group(1).toLowerCase(Locale.ROOT)));
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }

    /** Answers so far. */
    List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** Answers from {@code mac} received in [from, to). */
    long count(String mac, long from, long to) {
        return answers().stream().filter(a -> a.mac.equals(mac) && a.atNanos - from >= 0 && a.atNanos - to < 0)
                .count();
    }

    /** Arrival time of the last answer from {@code mac}, or Long.MIN_VALUE. */
    long last(String mac) {
        return answers().stream().filter(a -> a.mac.equals(mac)).mapToLong(Answer::atNanos).max()
                .orElse(Long.MIN_VALUE);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
