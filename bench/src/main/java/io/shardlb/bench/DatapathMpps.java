package io.shardlb.bench;

import static io.shardlb.bench.DatapathTopology.AGENT;
import static io.shardlb.bench.DatapathTopology.BACKEND;
import static io.shardlb.bench.DatapathTopology.CLIENT;
import static io.shardlb.bench.DatapathTopology.P;
import static io.shardlb.bench.DatapathTopology.VIP;
import static io.shardlb.bench.DatapathTopology.in;
import static io.shardlb.bench.DatapathTopology.sh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Raw forwarding rate of the XdpForwarder against a small C AF_XDP forwarder on libxdp ({@code bench/src/main/c/
 * cfwd.c}: same XDP program, same socket set-up, same onearm rewrite with a full L4 checksum) on the datapath
 * topology. The load is {@code udpflood.c} (sendmmsg, 60-byte frames, 16 flows) in the client namespace (this
 * kernel has no pktgen, xdp-trafficgen is not installed); the rate is what reaches the backend veth (its
 * rx_packets; an iptables rule drops the datagrams there so no ICMP comes back). Rounds alternate C, Java, C, Java.
 * Needs gcc, libxdp-dev and libbpf-dev; the C sources are compiled into the work directory at run time.
 */
final class DatapathMpps {
    static final int SECONDS = 5;
    static final int ROUNDS = 2;
    static final int WARMUP_SECONDS = 3;
    private static final int PORT = 9;
    private static final int FLOWS = 16;

    private final DatapathTopology topo;
    private final Path cfwd;
    private final Path flood;
    private final Path object;

    DatapathMpps(DatapathTopology topo, Path work) throws IOException {
        this.topo = topo;
        Path src = Path.of("bench", "src", "main", "c");
        if (!Files.exists(src.resolve("cfwd.c"))) {
            throw new IllegalStateException("run from the repository root (bench/run does): " + src + " missing");
        }
        this.cfwd = work.resolve("cfwd");
        this.flood = work.resolve("udpflood");
        sh("gcc", "-O2", "-Wall", "-o", cfwd.toString(), src.resolve("cfwd.c").toString(), "-lxdp", "-lbpf");
        sh("gcc", "-O2", "-Wall", "-o", flood.toString(), src.resolve("udpflood.c").toString());
        this.object = work.resolve("shardlb_xdp.o");
        try (InputStream in = DatapathMpps.class.getResourceAsStream("/bpf/shardlb_xdp.o")) {
            if (in == null) {
                throw new IllegalStateException("lb-agent was built without its XDP objects (clang missing)");
            }
            Files.write(object, in.readAllBytes());
        }
    }

    /** {mean Java frames/s, mean C frames/s, then each round's figures in order}. */
    double[] run() throws Exception {
        sh(in("be", "iptables", "-A", "INPUT", "-p", "udp", "--dport", Integer.toString(PORT), "-j", "DROP"));
        try {
            double[] rounds = new double[2 * ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rounds[2 * r] = c();
                rounds[2 * r + 1] = java();
            }
            double c = 0;
            double j = 0;
            for (int r = 0; r < ROUNDS; r++) {
                c += rounds[2 * r] / ROUNDS;
                j += rounds[2 * r + 1] / ROUNDS;
            }
            double[] out = new double[2 + rounds.length];
            out[0] = j;
            out[1] = c;
            System.arraycopy(rounds, 0, out, 2, rounds.length);
            return out;
        } finally {
            sh(in("be", "iptables", "-D", "INPUT", "-p", "udp", "--dport", Integer.toString(PORT), "-j", "DROP"));
        }
    }

    private double c() throws Exception {
        double pps = cRound();
        if (pps == 0) {
            // seen once in a while on a fresh attach: say so and measure again rather than average a zero in
            System.out.println("cfwd delivered nothing; one more C round");
            pps = cRound();
        }
        return pps;
    }

    private double cRound() throws Exception {
        Process p = new ProcessBuilder(in("agt", cfwd.toString(), P + "a0", object.toString(), AGENT, VIP,
                Integer.toString(PORT), BACKEND, Integer.toString(PORT), topo.backendMac(),
                Integer.toString(SECONDS + WARMUP_SECONDS + 8))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            expect(out.readLine(), "ready");
            boolean aliveBefore = p.isAlive();
            double pps = load();
            System.out.println("cfwd " + pps + " frames/s" + (aliveBefore && p.isAlive() ? "" : " (exited early: "
                    + (p.isAlive() ? "" : p.exitValue()) + ")"));
            return pps;
        } finally {
            // SIGTERM by hand: Process.destroy() would close the stream that carries cfwd's last line
            try {
                sh("kill", "-TERM", Long.toString(p.pid()));
            } catch (RuntimeException e) {
                // exited already
            }
            if (p.waitFor(30, TimeUnit.SECONDS)) {
                StringBuilder rest = new StringBuilder();
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    rest.append(l).append(' ');
                }
                System.out.println("cfwd exit " + p.exitValue() + ": " + rest.toString().trim());
            } else {
                p.destroyForcibly();
            }
        }
    }

    private double java() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(in("agt", javaBin, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.shardlb.agent.xdp.XdpForwarderMain", P + "a0", "wakeup"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        PrintStream cmd = new PrintStream(agent.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        try {
            expect(out.readLine(), "ready");
            cmd.println("rule mpps " + VIP + " " + PORT + " udp onearm " + BACKEND + ":" + PORT + "@"
                    + topo.backendMac());
            expect(out.readLine(), "ok");
            cmd.println("claim " + VIP + " 600000");
            expect(out.readLine(), "ok");
            double pps = load();
            cmd.println("stats");
            System.out.println("xdp " + pps + " frames/s; " + out.readLine());
            return pps;
        } finally {
            cmd.println("quit");
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /**
     * A warm-up flood (long enough for the JIT to compile the Java loop on a busy machine; nothing changes for C),
     * then the measured one; frames per second that reached the backend.
     */
    private double load() {
        sh(in("cli", "ip", "neigh", "flush", "all"));
        sh(in("cli", flood.toString(), CLIENT, VIP, Integer.toString(PORT), Integer.toString(FLOWS),
                Integer.toString(WARMUP_SECONDS)));
        long before = rxPackets();
        long start = System.nanoTime();
        String sent = sh(in("cli", flood.toString(), CLIENT, VIP, Integer.toString(PORT), Integer.toString(FLOWS),
                Integer.toString(SECONDS)));
        long delivered = rxPackets() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("udpflood " + sent.trim() + " in " + String.format("%.2f", seconds) + " s, delivered "
                + delivered);
        return delivered / seconds;
    }

    private static long rxPackets() {
        return Long.parseLong(sh(in("be", "cat", "/sys/class/net/" + P + "b0/statistics/rx_packets")).trim());
    }

    private static void expect(String line, String prefix) {
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("forwarder answered: " + line);
        }
    }

    /** The figures as text for the results table. */
    static String describe(double[] r) {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "UDP 60-byte frames, %d flows, "
                + "udpflood (sendmmsg) in the client ns, %d s warm-up + %d s per round, rounds C/Java alternating: ",
                FLOWS, WARMUP_SECONDS, SECONDS));
        for (int i = 2; i < r.length; i++) {
            b.append(i % 2 == 0 ? "C " : "Java ").append(String.format(java.util.Locale.ROOT, "%.0f", r[i]))
                    .append(i + 1 < r.length ? ", " : "");
        }
        return b.append(" frames/s delivered to the backend veth").toString();
    }
}
