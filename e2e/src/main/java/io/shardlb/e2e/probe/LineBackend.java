package io.shardlb.e2e.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend pod stand-in: a TCP server that answers every line it reads with its own id and a newline, for as long
 * as the connection stays open. One line per request suits both probe kinds: a fresh connection per request and a
 * long-lived connection exchanging a line every 10 ms. Each connection is served on a virtual thread.
 */
public final class LineBackend implements AutoCloseable {
    private final String id;
    private final ServerSocket server;
    private final Thread acceptor;

    private LineBackend(String id, ServerSocket server) {
        this.id = id;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("backend-" + id).start(this::accept);
    }

    /** Starts a backend named {@code id} on {@code address}, any free port. */
    public static LineBackend start(String id, InetAddress address) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, 0), 512);
            return new LineBackend(id, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start backend " + id + " on " + address, e);
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket c = server.accept();
                Thread.ofVirtual().start(() -> serve(c));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket c) {
        byte[] answer = (id + "\n").getBytes(StandardCharsets.US_ASCII);
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = c.getOutputStream()) {
            c.setTcpNoDelay(true);
            while (in.readLine() != null) {
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away or the connection was reset by a move: nothing to serve
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
