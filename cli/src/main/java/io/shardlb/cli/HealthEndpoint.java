package io.shardlb.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text), {@code /healthz} (200 unless the process has failed) and {@code /readyz}
 * (200 once started; a standby is ready too, or a PodDisruptionBudget would count standbys as down).
 */
final class HealthEndpoint implements AutoCloseable {
    private final HttpServer server;

    HealthEndpoint(String host, int port, ControllerMetrics metrics, BooleanSupplier healthy,
                   BooleanSupplier ready) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", x -> send(x, 200, metrics.contentType(), metrics.scrape()));
        server.createContext("/healthz", x -> status(x, healthy.getAsBoolean()));
        server.createContext("/readyz", x -> status(x, ready.getAsBoolean()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("controller-http").unstarted(r)));
        server.start();
    }

    /** The bound port (useful with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private static void status(HttpExchange x, boolean ok) throws IOException {
        send(x, ok ? 200 : 503, "text/plain; charset=utf-8",
                (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        try (x) {
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(code, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
