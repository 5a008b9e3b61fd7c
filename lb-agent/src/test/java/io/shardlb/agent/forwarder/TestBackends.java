package io.shardlb.agent.forwarder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small backends for forwarder tests, each on its own address and an ephemeral port, served by virtual
 * threads: an HTTP/1.1 echo server (keep-alive; the response body is {@code <id>\n} followed by the request
 * body) and a UDP echo server (reply {@code <id>:<datagram>}).
 */
public final class TestBackends {
    private TestBackends() {
    }

    /** A running backend; close it to stop. */
    public interface Backend extends AutoCloseable {
        String id();

        InetAddress address();

        int port();

        /** Connections (TCP) or datagrams (UDP) served. */
        int served();

        @Override
        void close();
    }

    /** Starts an HTTP echo backend on {@code address}. */
    public static Backend http(String id, InetAddress address) throws IOException {
        return http(id, bindTcp(address));
    }

    /**
     * A listening socket for {@link #http(String, ServerSocket)}. Separate so that a test can bind it in another
     * network namespace and start the serving threads from its own (a thread started from a namespace-switched
     * thread, a virtual-thread carrier included, would inherit that namespace).
     */
    public static ServerSocket bindTcp(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, 0), 4096);
        return server;
    }

    /** Starts an HTTP echo backend on a bound {@code server}. */
    public static Backend http(String id, ServerSocket server) {
        InetAddress address = server.getInetAddress();
        AtomicInteger served = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    served.incrementAndGet();
                    Thread.ofVirtual().start(() -> serveHttp(s, id));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return backend(id, address, server.getLocalPort(), served, server);
    }

    private static void serveHttp(Socket s, String id) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String head = Http.readHead(in);
                if (head == null) {
                    return;
                }
                byte[] body = in.readNBytes(Http.contentLength(head));
                byte[] prefix = (id + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (prefix.length + body.length) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(prefix);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Starts a UDP echo backend on {@code address}. */
    public static Backend udp(String id, InetAddress address) throws IOException {
        return udp(id, new DatagramSocket(new InetSocketAddress(address, 0)));
    }

    /** Starts a UDP echo backend on a bound {@code socket} (see {@link #bindTcp} for why separate). */
    public static Backend udp(String id, DatagramSocket socket) {
        InetAddress address = socket.getLocalAddress();
        AtomicInteger served = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    served.incrementAndGet();
                    byte[] reply = (id + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return backend(id, address, socket.getLocalPort(), served, socket);
    }

    private static Backend backend(String id, InetAddress address, int port, AtomicInteger served,
                                   AutoCloseable resource) {
        return new Backend() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public InetAddress address() {
                return address;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public int served() {
                return served.get();
            }

            @Override
            public void close() {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // test cleanup
                }
            }
        };
    }

    /** Minimal HTTP/1.1 framing shared by the test client and server. */
    public static final class Http {
        private Http() {
        }

        /** Reads up to the blank line; null at EOF before any byte. */
        public static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new IOException("EOF inside HTTP head");
                }
                head.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                        ? state + 1 : (c == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        public static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        /** Sends one POST with {@code body} and returns the response body. */
        public static byte[] post(Socket s, byte[] body) throws IOException {
            OutputStream out = s.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: vip\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head == null || !head.startsWith("HTTP/1.1 200")) {
                throw new IOException("bad response head: " + head);
            }
            return in.readNBytes(contentLength(head));
        }

        /** The backend id at the start of an echo response. */
        public static String backendOf(byte[] response) {
            String s = new String(response, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
