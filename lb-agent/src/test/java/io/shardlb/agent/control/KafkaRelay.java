package io.shardlb.agent.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent's only way to the broker on loopback: a TCP relay at the port the broker advertises on that agent's
 * listener (see {@code EmbeddedKafka.startTemporaryWithRelayedListeners}), so the metadata sends every later
 * connection of the agent back through it. The test cuts it in one of two ways: {@link #blackHole()} keeps every
 * connection open and accepts new ones but forwards no byte either way (a silent partition: the client learns of
 * it only by its own time-outs); {@link #refuse()} closes every connection and the listening socket (connections
 * reset, new ones refused).
 */
final class KafkaRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile int target;
    private volatile boolean forwarding = true;
    private volatile boolean open = true;

    /** Listens on a free loopback port at once (the broker must advertise it); forwards from {@link #start}. */
    KafkaRelay() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Starts relaying to the broker's listener at {@code 127.0.0.1:brokerPort}. */
    KafkaRelay start(int brokerPort) {
        this.target = brokerPort;
        Thread.ofPlatform().daemon().name("kafka-relay-" + port()).start(this::accept);
        return this;
    }

    private void accept() {
        while (open) {
            try {
                Socket agentSide = server.accept();
                track(agentSide);
                if (!forwarding) {
                    Thread.ofPlatform().daemon().start(() -> copy(agentSide, null));
                    continue;
                }
                Socket brokerSide = new Socket();
                track(brokerSide);
                brokerSide.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
                agentSide.setTcpNoDelay(true);
                brokerSide.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().start(() -> copy(agentSide, brokerSide));
                Thread.ofPlatform().daemon().start(() -> copy(brokerSide, agentSide));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void track(Socket s) throws IOException {
        synchronized (sockets) {
            if (!open) {
                s.close();
                throw new IOException("relay closed");
            }
            sockets.add(s);
        }
    }

    /** Copies until either side closes; once black-holed, reads on and drops what it reads. */
    private void copy(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to == null ? null : to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (forwarding && out != null) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side closed: close both below
        } finally {
            closeQuietly(from);
            if (to != null) {
                closeQuietly(to);
            }
        }
    }

    /** Forwards nothing from now on, either way, and connects new connections to nothing; closes nothing. */
    void blackHole() {
        forwarding = false;
    }

    /** Closes every relayed connection and stops listening: connections reset, new ones refused. */
    void refuse() {
        close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        forwarding = false;
        synchronized (sockets) {
            open = false;
            closeQuietly(server);
            sockets.forEach(KafkaRelay::closeQuietly);
            sockets.clear();
        }
    }
}
