package io.shardlb.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * The agent's read-only HTTP API on undertow, bound to one address (the pod's, never the wildcard):
 * {@code /healthz}, {@code /readyz} (503 while not caught up with the plan or degraded by a skipped record),
 * {@code /metrics} (Prometheus text), {@code /v1/ha}, {@code /v1/ip}, {@code /v1/lb} (JSON, loxilb's shapes).
 * Only GET and HEAD; there is no write endpoint.
 */
public final class AgentApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Undertow server;
    private final int port;

    private AgentApi(Undertow server) {
        this.server = server;
        this.port = ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** Starts the API on {@code host:port} (0: any free port). */
    public static AgentApi start(String host, int port, AgentStatus status) {
        AgentMetrics metrics = new AgentMetrics(status);
        Map<String, HttpHandler> routes = Map.of(
                "/healthz", ex -> text(ex, StatusCodes.OK, "ok\n"),
                "/readyz", ex -> ready(ex, status),
                "/metrics", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
                    metrics.write(ex.getOutputStream());
                },
                "/v1/ha", json(status, LoxiViews::ha),
                "/v1/ip", json(status, LoxiViews::ip),
                "/v1/lb", json(status, LoxiViews::lb));
        Undertow server = Undertow.builder().addHttpListener(port, host)
                .setHandler(ex -> route(ex, routes)).build();
        server.start();
        return new AgentApi(server);
    }

    private static void route(HttpServerExchange ex, Map<String, HttpHandler> routes) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(e -> route(e, routes));
            return;
        }
        HttpHandler h = routes.get(ex.getRelativePath());
        if (h == null) {
            text(ex, StatusCodes.NOT_FOUND, "not found: " + ex.getRelativePath() + "\n");
        } else if (!ex.getRequestMethod().equals(Methods.GET) && !ex.getRequestMethod().equals(Methods.HEAD)) {
            ex.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            text(ex, StatusCodes.METHOD_NOT_ALLOWED, "read-only API: GET only\n");
        } else {
            ex.startBlocking();
            h.handleRequest(ex);
        }
    }

    private static void ready(HttpServerExchange ex, AgentStatus status) {
        if (status.unreadable() > 0) {
            text(ex, StatusCodes.SERVICE_UNAVAILABLE, "degraded: " + status.unreadable()
                    + " plan record(s) could not be applied, first at " + status.firstUnreadable()
                    + "; forwarding keeps the last good state\n");
        } else if (!status.caughtUp()) {
            text(ex, StatusCodes.SERVICE_UNAVAILABLE, "not ready: catching up with the plan\n");
        } else {
            text(ex, StatusCodes.OK, "ready\n");
        }
    }

    private static HttpHandler json(AgentStatus status, Function<AgentStatus, Object> view) {
        return ex -> {
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(view.apply(status));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getOutputStream().write(body);
        };
    }

    private static void text(HttpServerExchange ex, int code, String body) {
        ex.setStatusCode(code);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    /** The port the API listens on. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
    }
}
