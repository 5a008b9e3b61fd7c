package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.TestBackends;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Judges the agents from outside: a client connection through a VIP, and who holds the VIP's listener (ss). */
final class Loopback {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private Loopback() {
    }

    /** The backend id answering one request through {@code vip:port}, or null if nothing answered. */
    static String request(String vip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(vip, port), 1000);
            s.setSoTimeout(2000);
            byte[] resp = TestBackends.Http.post(s, "hello".getBytes(StandardCharsets.UTF_8));
            return TestBackends.Http.backendOf(resp);
        } catch (IOException e) {
            return null;
        }
    }

    /** The pids of the processes listening on {@code vip:port}, as the kernel reports them. */
    static List<Long> listeners(String vip, int port) {
        List<Long> pids = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("ss", "-Hltnp", "src", vip + ":" + port).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = PID.matcher(out);
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run ss", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pids;
    }
}
