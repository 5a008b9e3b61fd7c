package io.shardlb.agent.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardlb.agent.forwarder.TestBackends.Backend;
import io.shardlb.agent.forwarder.TestBackends.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every forwarder must do, judged from outside like a user: a client through the VIP, backends that report
 * who served. Subclasses supply the forwarder, the addresses, the mode and, where the network is not loopback in
 * this JVM (the XDP forwarder's namespaces), override the client and backend hooks.
 */
public abstract class ForwarderBehaviourSuite {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected Forwarder forwarder;
    protected final List<Backend> backends = new ArrayList<>();

    /** A fresh forwarder for one test. */
    protected abstract Forwarder newForwarder();

    /** The VIP the tests claim. */
    protected abstract InetAddress vip();

    /** The address of backend {@code i} (0 or 1). */
    protected abstract InetAddress backendAddress(int i);

    /** The mode the rules use. */
    protected abstract Mode mode();

    /** The VIP port the rules use. */
    protected int vipPort() {
        return 18080;
    }

    protected Backend startHttpBackend(String id, InetAddress address) throws IOException {
        return TestBackends.http(id, address);
    }

    protected Backend startUdpBackend(String id, InetAddress address) throws IOException {
        return TestBackends.udp(id, address);
    }

    /**
     * A new unconnected client socket with its file descriptor already made (the network namespace of a socket is
     * fixed when its descriptor is created: forwarders tested in namespaces make it there).
     */
    protected Socket newClientSocket() throws IOException {
        Socket s = new Socket();
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    /** A new UDP client socket, bound where it can reach the VIP. */
    protected DatagramSocket newUdpClient() throws IOException {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A client TCP connection to the VIP. */
    protected Socket connect() throws IOException {
        Socket s = newClientSocket();
        s.setSoTimeout((int) WAIT.toMillis());
        s.connect(new InetSocketAddress(vip(), vipPort()), (int) WAIT.toMillis());
        return s;
    }

    @BeforeEach
    void startForwarder() {
        forwarder = newForwarder();
    }

    @AfterEach
    void stopAll() {
        backends.forEach(Backend::close);
        forwarder.close();
    }

    protected ServiceRule rule(Protocol protocol, List<Backend> eps) {
        return new ServiceRule("suite/" + vipPort() + "/" + protocol, vip(), vipPort(), protocol, mode(),
                Selection.HASH, Duration.ofSeconds(60), List.of(),
                eps.stream().map(b -> new Endpoint(b.address(), b.port(), MacAddress.NONE)).toList());
    }

    /** Starts both backends, installs the rule for them and claims the VIP for 5 minutes. */
    protected List<Backend> start(Protocol protocol) throws IOException {
        for (int i = 0; i < 2; i++) {
            backends.add(protocol == Protocol.TCP ? startHttpBackend("b" + i, backendAddress(i))
                    : startUdpBackend("b" + i, backendAddress(i)));
        }
        assertTrue(forwarder.upsertRule(rule(protocol, backends)).applied());
        assertTrue(forwarder.claimVip(vip(), System.nanoTime() + Duration.ofMinutes(5).toNanos()).applied());
        return backends;
    }

    @Test
    void httpThroughTheVipCarriesThePayloadIntact() throws Exception {
        start(Protocol.TCP);
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        try (Socket s = connect()) {
            byte[] resp = Http.post(s, body);
            String id = Http.backendOf(resp);
            assertTrue(id.equals("b0") || id.equals("b1"), id);
            byte[] echoed = java.util.Arrays.copyOfRange(resp, id.length() + 1, resp.length);
            assertArrayEquals(body, echoed, "payload through the VIP");
            byte[] again = Http.post(s, "second".getBytes(StandardCharsets.US_ASCII));
            assertEquals(id, Http.backendOf(again), "keep-alive stays on its backend");
        }
        RuleCounters c = forwarder.counters(rule(Protocol.TCP, backends).id()).orElseThrow();
        assertTrue(c.bytes() >= 2L * body.length, "bytes counted: " + c);
        assertTrue(c.packets() > 0);
    }

    @Test
    void udpThroughTheVip() throws Exception {
        start(Protocol.UDP);
        try (DatagramSocket client = newUdpClient()) {
            client.setSoTimeout(1000);
            for (int i = 0; i < 20; i++) {
                String reply = udpRoundTrip(client, "ping-" + i);
                assertTrue(reply.equals("b0:ping-" + i) || reply.equals("b1:ping-" + i), reply);
            }
        }
        assertEquals(1, forwarder.counters(rule(Protocol.UDP, backends).id()).orElseThrow().activeFlows());
    }

    /** Sends {@code msg} to the VIP until a reply comes (UDP may lose the first ones); returns the reply. */
    protected String udpRoundTrip(DatagramSocket client, String msg) throws IOException {
        byte[] m = msg.getBytes(StandardCharsets.UTF_8);
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            client.send(new DatagramPacket(m, m.length, new InetSocketAddress(vip(), vipPort())));
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                client.receive(p);
                assertEquals(new InetSocketAddress(vip(), vipPort()), p.getSocketAddress(), "reply from the VIP");
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                // UDP: ask again
            }
        }
        throw new AssertionError("no UDP reply through the VIP for " + msg);
    }

    @Test
    void aThousandConcurrentConnectionsSpreadOverBothBackends() throws Exception {
        start(Protocol.TCP);
        int n = 1000;
        Map<String, AtomicInteger> perBackend = new ConcurrentHashMap<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch answered = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] body = ("conn-" + i).getBytes(StandardCharsets.US_ASCII);
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket s = connect()) {
                    String id = Http.backendOf(Http.post(s, body));
                    perBackend.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    answered.countDown();
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    errors.add(e);
                    answered.countDown();
                }
            }));
        }
        assertTrue(answered.await(WAIT.toSeconds() * 4, TimeUnit.SECONDS), "all connections answered");
        assertEquals(List.of(), errors);
        String id = rule(Protocol.TCP, backends).id();
        awaitTrue(() -> forwarder.counters(id).orElseThrow().activeFlows() == n, "1000 flows open at once");
        release.countDown();
        for (Thread t : threads) {
            t.join(WAIT.toMillis());
        }
        assertTrue(perBackend.get("b0").get() > n * 0.35 && perBackend.get("b1").get() > n * 0.35,
                "spread by the hash: " + perBackend);
        awaitTrue(() -> forwarder.counters(id).orElseThrow().activeFlows() == 0, "flows end with connections");
    }

    @Test
    void removingOneBackendKeepsFlowsOnTheOther() throws Exception {
        start(Protocol.TCP);
        List<Socket> onB0 = new ArrayList<>();
        List<Socket> all = new ArrayList<>();
        try {
            for (int i = 0; i < 60 && (onB0.size() < 5 || onB0.size() == all.size()); i++) {
                Socket s = connect();
                all.add(s);
                if (Http.backendOf(Http.post(s, "hello".getBytes(StandardCharsets.US_ASCII))).equals("b0")) {
                    onB0.add(s);
                }
            }
            assertTrue(onB0.size() >= 5 && onB0.size() < all.size(), "flows on both backends");
            assertTrue(forwarder.upsertRule(rule(Protocol.TCP, List.of(backends.get(0)))).applied());
            for (Socket s : onB0) {
                assertEquals("b0", Http.backendOf(Http.post(s, "again".getBytes(StandardCharsets.US_ASCII))),
                        "an established flow on the kept backend keeps working");
            }
            for (int i = 0; i < 20; i++) {
                try (Socket s = connect()) {
                    assertEquals("b0", Http.backendOf(Http.post(s, "new".getBytes(StandardCharsets.US_ASCII))));
                }
            }
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    @Test
    void halfCloseDeliversTheRestOfTheReply() throws Exception {
        start(Protocol.TCP);
        try (Socket s = connect()) {
            byte[] body = new byte[50_000];
            new Random(3).nextBytes(body);
            s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: vip\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String head = Http.readHead(in);
            byte[] resp = in.readNBytes(Http.contentLength(head));
            assertEquals(body.length + 3, resp.length, "full reply after our FIN");
            assertEquals(-1, in.read(), "then EOF from the backend's close");
        }
    }

    @Test
    void aClaimWhoseDeadlinePassesStopsAnsweringWithoutRelease() throws Exception {
        start(Protocol.TCP);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        assertTrue(forwarder.claimVip(vip(), deadline).applied());
        try (Socket s = connect()) {
            Http.post(s, "before".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(System.nanoTime() < deadline, "answered before the deadline (test too slow otherwise)");
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        long giveUp = deadline + WAIT.toNanos();
        while (System.nanoTime() < giveUp) {
            try (Socket s = newClientSocket()) {
                s.connect(new InetSocketAddress(vip(), vipPort()), 5000);
                s.setSoTimeout(5000);
                Http.post(s, "probe".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
            Thread.sleep(20);
        }
        fail("still answering " + WAIT + " after the deadline");
    }

    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
