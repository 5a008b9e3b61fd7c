package io.shardlb.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Gate for tests that need root and namespace tools: skip with a reason, or fail when CI=true. */
final class Privileged {
    private Privileged() {
    }

    static void require() {
        require(new String[0]);
    }

    /** As {@link #require()}, also needing each of {@code tools} (absolute paths; /usr-less variants accepted). */
    static void require(String... tools) {
        String reason = missing();
        for (int i = 0; reason == null && i < tools.length; i++) {
            String t = tools[i];
            if (!Files.isExecutable(Path.of(t)) && !Files.isExecutable(Path.of(t.replace("/usr", "")))) {
                reason = "missing " + t;
            }
        }
        gate(reason);
    }

    /**
     * Root, the namespace tools and the XDP datapath: the XDP objects built (clang at build time) and libxdp
     * installed, plus {@code tools}.
     */
    static void requireXdp(String... tools) {
        require(tools);
        if (Privileged.class.getResource("/bpf/shardlb_xdp.o") == null
                || Privileged.class.getResource("/bpf/shardlb_pass.o") == null) {
            gate("the XDP objects were not built (clang missing at build time)");
        } else if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libxdp.so.1"))
                && !Files.exists(Path.of("/lib/x86_64-linux-gnu/libxdp.so.1"))) {
            gate("libxdp1 not installed (apt-get install libxdp-dev libbpf-dev)");
        }
    }

    /** Returns if {@code reason} is null; otherwise skips the test, or fails it when CI=true. */
    private static void gate(String reason) {
        if (reason == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and the privileged e2e tests cannot run: " + reason);
        }
        Assumptions.abort("privileged e2e test skipped: " + reason);
    }

    private static String missing() {
        try {
            if (!Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t")) {
                return "not root";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
        for (String tool : new String[] {"/usr/sbin/ip", "/usr/sbin/arping", "/usr/bin/stdbuf"}) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) {
                return "missing " + tool + " (apt-get install iproute2 arping coreutils)";
            }
        }
        return null;
    }
}
