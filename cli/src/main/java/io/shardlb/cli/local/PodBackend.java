package io.shardlb.cli.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * What a Pod's containers would serve: a small HTTP server on the pod's own loopback address for each container
 * port, answering every request with a page naming the pod. A port below 1024 that this user may not bind
 * (no root) is served 8000 higher instead, and the EndpointSlice says so: it carries the real port.
 */
final class PodBackend implements AutoCloseable {
    static final int UNPRIVILEGED_SHIFT = 8000;

    private final String pod;
    private final String ip;
    private final Map<Integer, HttpServer> servers;

    private PodBackend(String pod, String ip, Map<Integer, HttpServer> servers) {
        this.pod = pod;
        this.ip = ip;
        this.servers = servers;
    }

    /** Serves {@code containerPorts} of {@code pod} ({@code namespace/name}) on {@code ip}. */
    static PodBackend start(String pod, String ip, List<Integer> containerPorts) {
        Map<Integer, HttpServer> servers = new LinkedHashMap<>();
        try {
            for (int port : containerPorts) {
                servers.put(port, bind(pod, ip, port));
            }
        } catch (IOException e) {
            servers.values().forEach(s -> s.stop(0));
            throw new UncheckedIOException("cannot serve pod " + pod + " on " + ip, e);
        }
        return new PodBackend(pod, ip, servers);
    }

    private static HttpServer bind(String pod, String ip, int port) throws IOException {
        InetAddress address = InetAddress.getByName(ip);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (SocketException e) {
            if (port >= 1024) {
                throw e;
            }
            server = HttpServer.create(new InetSocketAddress(address, port + UNPRIVILEGED_SHIFT), 64);
        }
        int real = server.getAddress().getPort();
        byte[] page = ("Hello from pod " + pod + " (" + ip + ":" + real + ")\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange; OutputStream body = exchange.getResponseBody()) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                body.write(page);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    String pod() {
        return pod;
    }

    String ip() {
        return ip;
    }

    /** The port really serving {@code containerPort}, or -1 if the pod does not declare it. */
    int realPort(int containerPort) {
        HttpServer s = servers.get(containerPort);
        return s == null ? -1 : s.getAddress().getPort();
    }

    /** The container ports and the ports serving them, for the progress line. */
    String describe() {
        StringBuilder b = new StringBuilder();
        servers.forEach((declared, s) -> {
            int real = s.getAddress().getPort();
            b.append(b.isEmpty() ? "" : ", ").append("http://").append(ip).append(':').append(real);
            if (real != declared) {
                b.append(" (port ").append(declared).append(" needs root)");
            }
        });
        return b.toString();
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
    }
}
