package io.shardlb.agent.control;

import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.ChildJvm;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the loopback cluster tests share: the plan they give the real planner (one Service per instance, in onearm
 * mode, one backend) and an agent started as the image starts it, as a child JVM with the proxy forwarder.
 */
final class LoopbackAgents {
    static final String[] INSTANCES = {"default", "llb-inst1", "llb-inst2"};
    static final String[] SERVICES = {"default/tcp-lb", "default/svc-1", "default/svc-2"};

    private LoopbackAgents() {
    }

    /** The facts a kube-bridge would write: VIPs from {@code pool}, Service i in instance i on {@code port}. */
    static void planServices(RealPlanner planner, String pool, int port, int backendPort) {
        planner.observe(new Fact.ConfigObserved(List.of(new Pool("defaultPool", pool)), List.of(),
                true, 3, "llb", false, "default", "", "", 0L, 5_000L, false));
        for (int i = 0; i < 3; i++) {
            planner.observe(new Fact.ServiceObserved(SERVICES[i], "uid-" + i, "1", "loxilb.io/loxilb",
                    List.of(new ServicePort("", port, "TCP", "", 0)), List.of(), "", "", List.of(), "",
                    new TreeMap<>(Map.of("loxilb.io/zoneinstance", INSTANCES[i], "loxilb.io/lbmode", "onearm")),
                    List.of()));
            planner.observe(new Fact.EndpointsObserved(SERVICES[i], List.of(new Endpoint("127.0.0.1",
                    backendPort, "", "TCP", true, "node-1"))));
        }
    }

    /**
     * Starts agent {@code name} on the log at {@code logUri} with the proxy forwarder, its journal under
     * {@code dir}, its output kept in {@code target/OUTDIR/NAME.out} for a failed run's post-mortem; returns once
     * it prints its ready line.
     */
    static ChildJvm start(String name, String logUri, String topicPrefix, LeaseSettings settings, Path dir,
                          String outDir, Duration wait) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-Dchronicle")) {
                jvm.add(a);
            }
        }
        List<String> args = List.of("--name", name, "--log", logUri, "--topicPrefix", topicPrefix,
                "--interface", "lo", "--forwarder", "proxy", "--apiHost", "127.0.0.1",
                "--journal", dir.resolve(name).toString(), "--drainTimeout", "60s", "--lease",
                settings.beatIntervalMs() + "," + settings.leaseMs() + "," + settings.marginMs());
        Path out = output(outDir, name);
        try {
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ChildJvm.start(AgentMain.class.getName(), args, jvm, "AGENT READY", out, wait);
    }

    /** Where {@link #start} keeps agent {@code name}'s output. */
    static Path output(String outDir, String name) {
        return Path.of("target", outDir, name + ".out");
    }

    /** The agent API's base URL from its ready line. */
    static String api(ChildJvm child) {
        return "http://" + child.readyLine().split("api=")[1].split(" ")[0];
    }
}
