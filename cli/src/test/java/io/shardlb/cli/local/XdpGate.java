package io.shardlb.cli.local;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Gate for tests that need root, network namespaces and the XDP objects: skip with a reason, or fail on CI. */
final class XdpGate {
    private XdpGate() {
    }

    /** Skips (or, with CI=true, fails) unless this process can build namespaces and load XDP programs. */
    static void require() {
        String reason = missing();
        if (reason == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and the privileged local --datapath xdp test cannot run: " + reason);
        }
        Assumptions.abort("privileged local --datapath xdp test skipped: " + reason);
    }

    private static String missing() {
        try {
            if (!Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t")) {
                return "not root";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
        for (String tool : new String[] {"/usr/sbin/ip", "/usr/bin/curl"}) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) {
                return "missing " + tool + " (apt-get install iproute2 curl)";
            }
        }
        if (XdpGate.class.getResource("/bpf/shardlb_xdp.o") == null) {
            return "the XDP object was not built (clang missing at build time)";
        }
        if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libxdp.so.1"))
                && !Files.exists(Path.of("/lib/x86_64-linux-gnu/libxdp.so.1"))) {
            return "libxdp1 not installed (apt-get install libxdp-dev libbpf-dev)";
        }
        return null;
    }
}
