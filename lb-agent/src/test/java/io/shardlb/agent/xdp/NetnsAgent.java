package io.shardlb.agent.xdp;

import io.shardlb.agent.control.AgentMain;
import io.shardlb.arbiter.LeaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real agent ({@link AgentMain}, XDP forwarder) as a child process started with {@code ip netns exec} in an agent
 * namespace of the topology; its output goes to a file kept for a failed run's post-mortem.
 */
final class NetnsAgent implements AutoCloseable {
    private final Process process;
    final String name;
    final String key;

    private NetnsAgent(Process process, String name, String key) {
        this.process = process;
        this.name = name;
        this.key = key;
    }

    /**
     * Starts agent {@code name} in namespace {@code slbx-<key>} on its veth, on the log at {@code logUri}; returns once
     * it printed its ready line.
     */
    static NetnsAgent start(String key, String name, String logUri, String topicPrefix, LeaseSettings lease,
                            Path journal, Path out, Duration wait) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", XdpTopology.PREFIX + key,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--name", name,
                "--log", logUri, "--topicPrefix", topicPrefix, "--interface", XdpTopology.ifname(key),
                "--forwarder", "xdp", "--apiHost", "127.0.0.1", "--journal", journal.toString(),
                "--drainTimeout", "60s", "--lease", lease.beatIntervalMs() + "," + lease.leaseMs() + ","
                        + lease.marginMs()));
        Process p;
        try {
            Files.createDirectories(out.getParent());
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NetnsAgent agent = new NetnsAgent(p, name, key);
        long end = System.nanoTime() + wait.toNanos();
        while (!readString(out).contains("AGENT READY")) {
            if (!p.isAlive() || System.nanoTime() - end > 0) {
                agent.kill9();
                throw new IllegalStateException(name + " did not start in " + key + " (output in " + out + ")");
            }
            Thread.sleep(100);
        }
        return agent;
    }

    private static String readString(Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL ({@code ip netns exec} execs java, so this is the agent's JVM), and wait for it to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
