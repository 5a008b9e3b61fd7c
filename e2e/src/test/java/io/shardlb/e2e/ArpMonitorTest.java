package io.shardlb.e2e;

import io.shardlb.e2e.probe.ArpMonitor;
import io.shardlb.e2e.system.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ARP monitor of root runs, judged on a segment of its own: namespaces {@code slbe-mon}, {@code slbe-a} and
 * {@code slbe-b} on a bridge in {@code slbe-sw}, addresses in 198.18.1.0/24, deleted by name afterwards. One host
 * owning the VIP is one answerer; both owning it is a split-brain instant.
 */
class ArpMonitorTest {
    private static final String P = "slbe-";
    private static final String VIP = "198.18.1.100";
    private static final List<String> HOSTS = List.of("mon", "a", "b");

    @AfterEach
    void destroy() {
        for (String n : List.of("sw", "mon", "a", "b")) {
            tryRun("ip", "netns", "del", P + n);
        }
    }

    @Test
    void oneOwnerIsOneAnswererAndTwoOwnersAreASplitBrainInstant() {
        Privileged.require();
        destroy();
        run("ip", "netns", "add", P + "sw");
        run("ip", "-n", P + "sw", "link", "add", P + "br", "type", "bridge");
        run("ip", "-n", P + "sw", "link", "set", P + "br", "up");
        for (int i = 0; i < HOSTS.size(); i++) {
            String h = HOSTS.get(i);
            run("ip", "netns", "add", P + h);
            run("ip", "link", "add", P + h + "0", "netns", P + h, "type", "veth", "peer", "name", P + h + "1",
                    "netns", P + "sw");
            run("ip", "-n", P + "sw", "link", "set", P + h + "1", "master", P + "br", "up");
            run("ip", "-n", P + h, "addr", "add", "198.18.1." + (10 + i) + "/24", "dev", P + h + "0");
            run("ip", "-n", P + h, "link", "set", P + h + "0", "up");
        }
        run("ip", "-n", P + "a", "addr", "add", VIP + "/32", "dev", P + "a0");
        try (ArpMonitor monitor = new ArpMonitor(P + "mon", P + "mon0", 60)) {
            monitor.add(VIP);
            Await.until("answers from a", Duration.ofSeconds(30), () -> monitor.answers().size() >= 5);
            assertEquals(List.of(), monitor.splitBrainInstants(), "one owner: no split brain");
            assertEquals(1, monitor.answers().stream().map(ArpMonitor.Answer::mac).distinct().count());
            run("ip", "-n", P + "b", "addr", "add", VIP + "/32", "dev", P + "b0");
            Await.until("two answerers in one round", Duration.ofSeconds(30),
                    () -> !monitor.splitBrainInstants().isEmpty());
            assertTrue(monitor.splitBrainInstants().getFirst().answerers().stream().distinct().count() == 2);
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void tryRun(String... cmd) {
        try {
            run(cmd);
        } catch (IllegalStateException ignored) {
            // absent already
        }
    }
}
