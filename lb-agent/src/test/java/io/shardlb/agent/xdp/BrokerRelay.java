package io.shardlb.agent.xdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the embedded broker (listening on 127.0.0.1:PORT of the test's namespace, and advertising that address)
 * reachable from an agent namespace at the same address: a TCP relay whose listening socket is created inside the
 * namespace (so the agent's traffic to the broker crosses that namespace's loopback, where the test can drop it),
 * and whose broker-side sockets are created in the test's namespace. Only threads created here, from the test's
 * namespace, touch the broker side.
 */
final class BrokerRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean open = true;

    BrokerRelay(Netns ns, int port) {
        this.port = port;
        this.server = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        });
        Thread.ofPlatform().daemon().name("relay-accept-" + ns.name).start(this::accept);
    }

    private void accept() {
        while (open) {
            try {
                Socket agentSide = server.accept();
                Socket brokerSide = new Socket();
                brokerSide.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                agentSide.setTcpNoDelay(true);
                brokerSide.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(agentSide);
                    sockets.add(brokerSide);
                }
                Thread.ofPlatform().daemon().start(() -> copy(agentSide, brokerSide));
                Thread.ofPlatform().daemon().start(() -> copy(brokerSide, agentSide));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
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
        open = false;
        closeQuietly(server);
        synchronized (sockets) {
            sockets.forEach(BrokerRelay::closeQuietly);
        }
    }
}
