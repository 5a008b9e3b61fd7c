package io.shardlb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The datapath benchmark's segment: namespaces slbb-cli (198.18.1.10), slbb-agt (198.18.1.2) and slbb-be
 * (198.18.1.20), each with a veth to bridge slbb-br in slbb-sw; a pass-through native XDP program on the
 * bridge-side peer of the agent veth (veth delivers XDP_TX frames only to a peer that has one). Deleted by name.
 */
final class DatapathTopology implements AutoCloseable {
    static final String P = "slbb-";
    static final String CLIENT = "198.18.1.10";
    static final String AGENT = "198.18.1.2";
    static final String BACKEND = "198.18.1.20";
    static final String VIP = "198.18.1.100";
    private static final String[][] NODES = {{"cli", "c", CLIENT}, {"agt", "a", AGENT}, {"be", "b", BACKEND}};

    DatapathTopology(Path work) throws IOException {
        destroy();
        Path pass = work.resolve("shardlb_pass.o");
        try (InputStream in = DatapathTopology.class.getResourceAsStream("/bpf/shardlb_pass.o")) {
            if (in == null) {
                throw new IllegalStateException("lb-agent was built without its XDP objects (clang missing)");
            }
            Files.write(pass, in.readAllBytes());
        }
        sh("ip", "netns", "add", P + "sw");
        sh("ip", "-n", P + "sw", "link", "add", P + "br", "type", "bridge");
        sh("ip", "-n", P + "sw", "link", "set", P + "br", "up");
        for (String[] n : NODES) {
            String ns = P + n[0];
            sh("ip", "netns", "add", ns);
            sh("ip", "link", "add", P + n[1] + "0", "netns", ns, "type", "veth", "peer", "name", P + n[1] + "1",
                    "netns", P + "sw");
            sh("ip", "-n", P + "sw", "link", "set", P + n[1] + "1", "master", P + "br", "up");
            sh("ip", "-n", ns, "addr", "add", n[2] + "/24", "dev", P + n[1] + "0");
            sh("ip", "-n", ns, "link", "set", P + n[1] + "0", "up");
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", P + "sw", "link", "set", "dev", P + "a1", "xdpdrv", "obj", pass.toString(), "sec", "xdp");
    }

    /** The MAC of the backend's veth. */
    String backendMac() {
        return sh("ip", "-n", P + "be", "-br", "link", "show", P + "b0").trim().split("\\s+")[2];
    }

    /** Command line prefix running in namespace {@code key}. */
    static List<String> in(String key, String... cmd) {
        List<String> l = new java.util.ArrayList<>(List.of("ip", "netns", "exec", P + key));
        l.addAll(List.of(cmd));
        return l;
    }

    static String sh(String... cmd) {
        return sh(List.of(cmd));
    }

    static String sh(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("failed: " + cmd + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void destroy() {
        for (String n : new String[] {"sw", "cli", "agt", "be"}) {
            try {
                sh("ip", "netns", "del", P + n);
            } catch (RuntimeException e) {
                // not there
            }
        }
    }

    @Override
    public void close() {
        destroy();
    }
}
