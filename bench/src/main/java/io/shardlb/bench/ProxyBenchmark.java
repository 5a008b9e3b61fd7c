package io.shardlb.bench;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/run proxy}: HTTP requests/s through ProxyForwarder (one loop thread) and through an nginx stream
 * proxy (one worker) on loopback, same backend (nginx http, one worker), same wrk load (1 thread, 50 keep-alive
 * connections, 8 s), alternated over two rounds in one run. Needs {@code nginx-light},
 * {@code libnginx-mod-stream} and {@code wrk} (Debian). nginx runs as a non-daemon child with its own config in
 * the scratch directory.
 */
final class ProxyBenchmark implements Benchmark {
    private static final String BACKEND = "127.0.90.10";
    private static final int BACKEND_PORT = 18090;
    private static final String NGINX_PROXY = "127.0.90.20";
    private static final int NGINX_PROXY_PORT = 18091;
    private static final String VIP = "127.0.90.30";
    private static final int VIP_PORT = 18092;
    private static final int SECONDS = 8;
    private static final int ROUNDS = 2;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String description() {
        return "ProxyForwarder vs nginx stream proxy on loopback, wrk HTTP keep-alive through each, same run";
    }

    @Override
    public List<Result> run(Path work) throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        Path wrk = Path.of("/usr/bin/wrk");
        Path stream = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        for (Path p : List.of(nginx, wrk, stream)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " missing: apt-get install nginx-light libnginx-mod-stream wrk");
            }
        }
        List<Process> children = new ArrayList<>();
        try (ProxyForwarder proxy = ProxyForwarder.start(ProxyConfig.defaults())) {
            children.add(startNginx(nginx, work.resolve("backend"), "", "http { access_log off; "
                    + "keepalive_requests 1000000; server { listen " + BACKEND + ":" + BACKEND_PORT + "; "
                    + "location / { return 200 \"hello from the backend\\n\"; } } }"));
            children.add(startNginx(nginx, work.resolve("proxy"), "load_module " + stream + ";\n",
                    "stream { server { listen " + NGINX_PROXY + ":" + NGINX_PROXY_PORT + "; proxy_pass "
                            + BACKEND + ":" + BACKEND_PORT + "; } }"));
            awaitListening(BACKEND, BACKEND_PORT);
            awaitListening(NGINX_PROXY, NGINX_PROXY_PORT);
            var vip = Addresses.parse(VIP);
            proxy.upsertRule(new ServiceRule("bench/proxy", vip, VIP_PORT, Protocol.TCP, Mode.ONEARM,
                    Selection.HASH, Duration.ZERO, List.of(), List.of(Endpoint.of(BACKEND, BACKEND_PORT))));
            proxy.claimVip(vip, System.nanoTime() + Duration.ofMinutes(30).toNanos());
            awaitListening(VIP, VIP_PORT);
            double direct = wrk(wrk, BACKEND, BACKEND_PORT);
            double ours = 0;
            double theirs = 0;
            for (int r = 0; r < ROUNDS; r++) {
                theirs += wrk(wrk, NGINX_PROXY, NGINX_PROXY_PORT) / ROUNDS;
                ours += wrk(wrk, VIP, VIP_PORT) / ROUNDS;
            }
            double ratio = ours / theirs;
            System.out.printf(Locale.ROOT, "direct %.0f req/s, nginx stream %.0f req/s, ProxyForwarder %.0f req/s, "
                    + "ratio %.3f%n", direct, theirs, ours, ratio);
            String setup = String.format(Locale.ROOT, "wrk -t1 -c50 -d%ds keep-alive, mean of %d alternated rounds; "
                    + "nginx stream 1 worker vs ProxyForwarder 1 loop thread; backend nginx http 1 worker; direct "
                    + "%.0f req/s", SECONDS, ROUNDS, direct);
            return List.of(new Result("proxy_vs_nginx", ratio, "x", setup + "; target >= 1.0 "
                            + (ratio >= 1.0 ? "met" : "MISSED")),
                    new Result("proxy_rps", ours, "req/s", "ProxyForwarder; " + setup),
                    new Result("nginx_stream_rps", theirs, "req/s", "nginx stream proxy; " + setup));
        } finally {
            for (Process p : children) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Process startNginx(Path nginx, Path dir, String main, String body) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        String conf = main + "worker_processes 1;\nuser root;\ndaemon off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("logs/error.log") + " warn;\nevents { worker_connections 8192; }\n"
                + body + "\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        return new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("logs/error.log")
                .toString(), "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    }

    private static void awaitListening(String host, int port) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on " + host + ":" + port);
    }

    private static double wrk(Path wrk, String host, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(wrk.toString(), "-t1", "-c50", "-d" + SECONDS + "s",
                "http://" + host + ":" + port + "/").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(SECONDS + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Matcher m = RPS.matcher(out);
        if (!m.find() || out.contains("Socket errors") && out.contains("connect ")) {
            throw new IllegalStateException("wrk against " + host + ":" + port + " failed:\n" + out);
        }
        System.out.println("wrk " + host + ":" + port + " -> " + m.group(1) + " req/s");
        return Double.parseDouble(m.group(1));
    }
}
