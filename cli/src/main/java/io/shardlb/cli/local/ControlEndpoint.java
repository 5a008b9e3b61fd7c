package io.shardlb.cli.local;

import com.sun.net.httpserver.HttpServer;
import io.shardlb.cli.UserError;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The running {@code shardlb local}'s door for the commands of another terminal: {@code POST /kill-agent/NAME}
 * and {@code POST /restart-agent/NAME}, on loopback, its address in {@link LocalHome#control()}. The local
 * process does the work, so a restarted agent is its child again and a kill is not reported as a crash.
 */
final class ControlEndpoint implements AutoCloseable {
    private final HttpServer server;

    private ControlEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code kill} and {@code restart} (agent name → message; a {@link UserError} answers 400). */
    static ControlEndpoint start(UnaryOperator<String> kill, UnaryOperator<String> restart) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the control endpoint", e);
        }
        server.createContext("/kill-agent/", ex -> answer(ex, kill));
        server.createContext("/restart-agent/", ex -> answer(ex, restart));
        server.start();
        return new ControlEndpoint(server);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, UnaryOperator<String> action)
            throws IOException {
        try (ex; OutputStream body = ex.getResponseBody()) {
            String path = ex.getRequestURI().getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            int code = 200;
            String text;
            if (!"POST".equals(ex.getRequestMethod())) {
                code = 405;
                text = "POST only";
            } else {
                try {
                    text = action.apply(name);
                } catch (UserError e) {
                    code = 400;
                    text = e.getMessage();
                } catch (RuntimeException e) {
                    code = 500;
                    text = e.toString();
                }
            }
            byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, bytes.length);
            body.write(bytes);
        }
    }

    /** {@code host:port} of this endpoint. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Asks the local system of {@code home} to run {@code command} on {@code agent}; returns its answer. */
    static String call(LocalHome home, String command, String agent) {
        URI uri = URI.create("http://" + home.read(home.control()) + "/" + command + "/" + agent);
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new UserError(r.body().strip());
            }
            return r.body().strip();
        } catch (IOException e) {
            throw new UserError("the local system does not answer at " + uri + " (is it still running?): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
