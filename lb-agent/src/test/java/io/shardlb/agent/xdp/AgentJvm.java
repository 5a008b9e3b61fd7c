package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * An {@link XdpForwarder} in a child JVM started with {@code ip netns exec} in an agent namespace (its interface
 * and socket live there), driven over stdin/stdout through {@link XdpForwarderMain}'s line commands. It can be
 * frozen (SIGSTOP) and killed (SIGKILL) like a real agent. Deadlines cross the process boundary as they are:
 * both JVMs read the same CLOCK_MONOTONIC.
 */
final class AgentJvm implements Forwarder {
    private final Process process;
    private final PrintStream in;
    private final BufferedReader out;
    final String ready;

    AgentJvm(String netns, String ifname, String... options) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, javaBin,
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), XdpForwarderMain.class.getName(), ifname));
        cmd.addAll(List.of(options));
        try {
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ready = readLine();
        if (ready == null || !ready.startsWith("ready")) {
            process.destroyForcibly();
            throw new IllegalStateException("forwarder JVM did not start in " + netns + ": " + ready);
        }
    }

    private String readLine() {
        try {
            return out.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command, returns the answer line. */
    synchronized String command(String line) {
        in.println(line);
        String answer = readLine();
        if (answer == null) {
            throw new IllegalStateException("forwarder JVM gone, command: " + line);
        }
        return answer;
    }

    private static Outcome outcome(String answer) {
        if (answer.startsWith("ok degraded ")) {
            return new Outcome.Degraded(answer.substring(12));
        }
        if (answer.startsWith("ok")) {
            return Outcome.APPLIED;
        }
        return new Outcome.Refused(answer);
    }

    @Override
    public Outcome upsertRule(ServiceRule rule) {
        StringJoiner eps = new StringJoiner(",");
        for (Endpoint e : rule.endpoints()) {
            eps.add(e.ip().getHostAddress() + ":" + e.port() + (e.mac().known() ? "@" + e.mac() : ""));
        }
        return outcome(command("rule " + rule.id() + " " + rule.vip().getHostAddress() + " " + rule.port() + " "
                + rule.protocol().name().toLowerCase() + " " + rule.mode().wireName() + " " + eps + " "
                + rule.selection().wireName()));
    }

    @Override
    public Outcome removeRule(String ruleId) {
        return outcome(command("remove " + ruleId));
    }

    @Override
    public Outcome claimVip(InetAddress vip, long deadlineNanos) {
        return outcome(command("claimat " + vip.getHostAddress() + " " + deadlineNanos));
    }

    @Override
    public Outcome releaseVip(InetAddress vip) {
        return outcome(command("release " + vip.getHostAddress()));
    }

    @Override
    public Outcome support(Mode mode) {
        return Outcome.APPLIED;
    }

    @Override
    public Optional<RuleCounters> counters(String ruleId) {
        String a = command("counters " + ruleId);
        if (!a.startsWith("ok")) {
            return Optional.empty();
        }
        String[] w = a.split(" ");
        return Optional.of(new RuleCounters(Long.parseLong(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3])));
    }

    @Override
    public Map<DropKind, Long> drops() {
        String a = command("drops");
        Map<DropKind, Long> m = new EnumMap<>(DropKind.class);
        String body = a.substring(a.indexOf('{') + 1, a.lastIndexOf('}'));
        for (String kv : body.split(",\\s*")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=");
                m.put(DropKind.valueOf(p[0].trim()), Long.parseLong(p[1].trim()));
            }
        }
        return m;
    }

    /** The XDP program's and loop's counters, as text. */
    String stats() {
        return command("stats");
    }

    /** SIGSTOP: the JVM freezes, the kernel side keeps its last deadline. */
    void freeze() {
        Netns.run("kill", "-STOP", Long.toString(process.pid()));
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill9() throws InterruptedException {
        Netns.run("kill", "-KILL", Long.toString(process.pid()));
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Netns.tryRun("kill", "-CONT", Long.toString(process.pid()));
            in.println("quit");
            in.close();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
