package io.shardlb.bench;

import static io.shardlb.bench.DatapathTopology.AGENT;
import static io.shardlb.bench.DatapathTopology.BACKEND;
import static io.shardlb.bench.DatapathTopology.P;
import static io.shardlb.bench.DatapathTopology.VIP;
import static io.shardlb.bench.DatapathTopology.in;
import static io.shardlb.bench.DatapathTopology.sh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/run datapath}: HTTP through a VIP on a veth/bridge segment in network namespaces (see
 * {@link DatapathTopology}), wrk in the client namespace, nginx http (1 worker) in the backend namespace, in one
 * run: direct, XdpForwarder (child JVM in the agent namespace, onearm; wake-up driven, then busy-polling),
 * iptables DNAT+SNAT in the agent namespace
 * (VIP as a kernel address), nginx stream proxy (1 worker) in the agent namespace. Keep-alive and
 * new-connection-per-request. Also the XdpForwarder loop thread's allocated bytes per frame in steady state.
 * Raw forwarding against a C AF_XDP forwarder: {@link DatapathMpps}.
 * Needs root, {@code wrk}, {@code nginx-light}, {@code libnginx-mod-stream}, {@code iptables}, {@code iproute2},
 * {@code curl}, {@code gcc}, {@code libxdp-dev}, {@code libbpf-dev} and lb-agent's XDP objects (clang at build
 * time).
 */
final class DatapathBenchmark implements Benchmark {
    private static final int SECONDS = 8;
    private static final int NEWCONN_SECONDS = 5;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern STAT = Pattern.compile("(\\w+)=(\\d+)");

    @Override
    public String name() {
        return "datapath";
    }

    @Override
    public String description() {
        return "XdpForwarder vs iptables DNAT vs nginx stream vs direct, wrk HTTP through a VIP in netns, same run";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        for (String p : List.of("/usr/bin/wrk", "/usr/sbin/nginx", "/usr/lib/nginx/modules/ngx_stream_module.so",
                "/usr/sbin/iptables", "/usr/bin/curl")) {
            if (!Files.exists(Path.of(p))) {
                throw new IllegalStateException(p + " missing: apt-get install wrk nginx-light libnginx-mod-stream "
                        + "iptables curl");
            }
        }
        List<Process> children = new ArrayList<>();
        try (DatapathTopology topo = new DatapathTopology(work)) {
            sh(in("cli", "sysctl", "-qw", "net.ipv4.tcp_tw_reuse=1"));
            children.add(nginx(work.resolve("backend"), "be", "", "http { access_log off; keepalive_requests "
                    + "1000000; server { listen " + BACKEND + ":8080; location / { return 200 \"hello from the "
                    + "backend\\n\"; } } }"));
            await(BACKEND + ":8080");
            double direct = wrk(BACKEND + ":8080", false, SECONDS);
            double directNew = wrk(BACKEND + ":8080", true, NEWCONN_SECONDS);
            double[] mpps = new DatapathMpps(topo, work).run();
            double[] xdp = xdp(topo, false);
            double[] busy = xdp(topo, true);
            double[] ipt = iptables();
            sh(in("agt", "iptables", "-t", "nat", "-F"));
            children.add(nginx(work.resolve("stream"), "agt", "load_module /usr/lib/nginx/modules/"
                    + "ngx_stream_module.so;\n", "stream { server { listen " + VIP + ":80; proxy_pass " + BACKEND
                    + ":8080; } }"));
            await(VIP + ":80");
            double nginx = wrk(VIP + ":80", false, SECONDS);
            String setup = String.format(Locale.ROOT, "netns veth+bridge (veth copy-mode AF_XDP), 2 vCPU; wrk -t1 "
                    + "-c50 -d%ds keep-alive / -c20 -d%ds Connection: close, one round each, in order direct, xdp, "
                    + "iptables, nginx; backend nginx 1 worker; direct %.0f / %.0f req/s; xdp %.0f / %.0f; iptables "
                    + "%.0f / %.0f; nginx stream %.0f", SECONDS, NEWCONN_SECONDS, direct, directNew, xdp[0], xdp[1],
                    ipt[0], ipt[1], nginx);
            System.out.println(setup);
            String raw = DatapathMpps.describe(mpps);
            System.out.println(raw);
            return List.of(
                    new Result("xdp_vs_c_mpps", mpps[0] / mpps[1], "x", "goal >= 0.8 " + (mpps[0] / mpps[1] >= 0.8
                            ? "met" : "MISSED") + "; " + raw),
                    new Result("xdp_mpps", mpps[0] / 1e6, "Mpps", raw),
                    new Result("c_mpps", mpps[1] / 1e6, "Mpps", raw),
                    new Result("xdp_vs_iptables_keepalive", xdp[0] / ipt[0], "x", goal(xdp[0] / ipt[0]) + setup),
                    new Result("xdp_vs_iptables_newconn", xdp[1] / ipt[1], "x", goal(xdp[1] / ipt[1]) + setup),
                    new Result("xdp_vs_nginx_keepalive", xdp[0] / nginx, "x", setup),
                    new Result("xdp_keepalive_rps", xdp[0], "req/s", setup),
                    new Result("xdp_busypoll_vs_iptables_keepalive", busy[0] / ipt[0], "x", "XdpForwarder with a "
                            + "busy-polling loop (" + String.format(Locale.ROOT, "%.0f", busy[0]) + " req/s) instead "
                            + "of poll(2) wakeups; " + setup),
                    new Result("xdp_alloc_bytes_per_packet", xdp[2], "B", "XdpForwarder loop thread allocated bytes "
                            + "(ThreadMXBean, not JFR) / frames received, over the keep-alive run after a warm-up; "
                            + "target 0 " + (xdp[2] < 0.01 ? "met" : "MISSED")));
        } finally {
            for (Process p : children) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String goal(double ratio) {
        return "goal >= 1.0 " + (ratio >= 1.0 ? "met" : "MISSED") + "; ";
    }

    /** keep-alive req/s, new-connection req/s (0 when busy-polling), loop-thread bytes allocated per frame. */
    private static double[] xdp(DatapathTopology topo, boolean busyPoll) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(in("agt", java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.shardlb.agent.xdp.XdpForwarderMain", P + "a0", busyPoll ? "busy" : "wakeup"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        PrintStream cmd = new PrintStream(agent.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        try {
            expect(out.readLine(), "ready");
            cmd.println("rule bench " + VIP + " 80 tcp onearm " + BACKEND + ":8080@" + topo.backendMac());
            expect(out.readLine(), "ok");
            cmd.println("claim " + VIP + " 1800000");
            expect(out.readLine(), "ok");
            await(VIP + ":80");
            wrk(VIP + ":80", false, 3);
            long[] before = stats(cmd, out);
            double keep = wrk(VIP + ":80", false, SECONDS);
            long[] after = stats(cmd, out);
            double perFrame = (double) (after[0] - before[0]) / Math.max(1, after[1] - before[1]);
            double fresh = busyPoll ? 0 : wrk(VIP + ":80", true, NEWCONN_SECONDS);
            cmd.println("stats");
            System.out.println("xdp" + (busyPoll ? " busy-poll " : " ") + out.readLine());
            return new double[] {keep, fresh, perFrame};
        } finally {
            cmd.println("quit");
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** loop_alloc_bytes, rx_frames. */
    private static long[] stats(PrintStream cmd, BufferedReader out) throws IOException {
        cmd.println("stats");
        String line = out.readLine();
        long alloc = -1;
        long rx = -1;
        Matcher m = STAT.matcher(line);
        while (m.find()) {
            switch (m.group(1)) {
                case "loop_alloc_bytes" -> alloc = Long.parseLong(m.group(2));
                case "rx_frames" -> rx = Long.parseLong(m.group(2));
                default -> { }
            }
        }
        if (alloc < 0 || rx < 0) {
            throw new IllegalStateException("unexpected stats: " + line);
        }
        return new long[] {alloc, rx};
    }

    private static double[] iptables() throws Exception {
        sh(in("agt", "ip", "addr", "add", VIP + "/32", "dev", P + "a0"));
        sh(in("agt", "sysctl", "-qw", "net.ipv4.ip_forward=1"));
        sh(in("agt", "sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0"));
        sh(in("agt", "sysctl", "-qw", "net.ipv4.conf." + P + "a0.send_redirects=0"));
        sh(in("agt", "iptables", "-t", "nat", "-A", "PREROUTING", "-d", VIP, "-p", "tcp", "--dport", "80", "-j",
                "DNAT", "--to-destination", BACKEND + ":8080"));
        sh(in("agt", "iptables", "-t", "nat", "-A", "POSTROUTING", "-d", BACKEND, "-p", "tcp", "--dport", "8080",
                "-j", "SNAT", "--to-source", AGENT));
        sh(in("cli", "ip", "neigh", "flush", "all"));
        await(VIP + ":80");
        wrk(VIP + ":80", false, 3);
        return new double[] {wrk(VIP + ":80", false, SECONDS), wrk(VIP + ":80", true, NEWCONN_SECONDS)};
    }

    private static void expect(String line, String prefix) {
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("forwarder answered: " + line);
        }
    }

    private static Process nginx(Path dir, String ns, String main, String body) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        String conf = main + "worker_processes 1;\nuser root;\ndaemon off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("logs/error.log") + " warn;\nevents { worker_connections 8192; }\n"
                + body + "\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        return new ProcessBuilder(in(ns, "/usr/sbin/nginx", "-p", dir.toString(), "-e",
                dir.resolve("logs/error.log").toString(), "-c", file.toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    }

    private static void await(String hostPort) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try {
                sh(in("cli", "curl", "-sf", "-m", "2", "-o", "/dev/null", "http://" + hostPort + "/"));
                return;
            } catch (RuntimeException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing answers on " + hostPort);
    }

    private static double wrk(String hostPort, boolean newConnection, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(in("cli", "wrk", "-t1", "-c" + (newConnection ? 20 : 50),
                "-d" + seconds + "s"));
        if (newConnection) {
            cmd.addAll(List.of("-H", "Connection: close"));
        }
        cmd.add("http://" + hostPort + "/");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk against " + hostPort + " failed:\n" + out);
        }
        System.out.println("wrk " + hostPort + (newConnection ? " new-conn" : " keep-alive") + " -> " + m.group(1)
                + " req/s" + (out.contains("Socket errors") ? " (" + out.lines().filter(l -> l.contains(
                "Socket errors")).findFirst().orElse("") + ")" : ""));
        return Double.parseDouble(m.group(1));
    }
}
