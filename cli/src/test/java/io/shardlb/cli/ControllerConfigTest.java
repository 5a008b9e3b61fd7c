package io.shardlb.cli;

import io.shardlb.events.schema.Pool;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller's flags, as the Helm chart passes them, validated into one config before anything starts. */
class ControllerConfigTest {
    static final List<String> CHART = List.of("--log=kafka://127.0.0.1:9092", "--topicPrefix=shardlb.",
            "--heartbeatPartitions=2", "--cidrPools=defaultPool=192.168.80.250/24", "--setUniqueIP",
            "--numZoneInstances=3", "--zone=llb", "--setLBMode=0", "--agentNamespace=shardlb",
            "--agentSelector=app.kubernetes.io/component=agent,app.kubernetes.io/name=shardlb",
            "--leaseNamespace=shardlb", "--leaseName=shardlb-controller", "--leaseDuration=5s", "--id=pod-1",
            "--metricsHost=10.0.0.5", "--metricsPort=11224");

    static ControllerConfig parse(List<String> args) {
        ControllerCommand cmd = new ControllerCommand();
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        return ControllerConfig.validate(cmd.flags());
    }

    /** The chart's flags with some replaced or added. */
    static List<String> with(String... extra) {
        List<String> out = new ArrayList<>(CHART);
        for (String e : extra) {
            String name = e.split("=", 2)[0];
            out.removeIf(a -> a.split("=", 2)[0].equals(name));
            out.add(e);
        }
        return out;
    }

    @Test
    void theChartsFlagsMakeOneConfig() {
        ControllerConfig c = parse(CHART);
        assertEquals(List.of(new Pool("defaultPool", "192.168.80.250/24")), c.configFact().pools());
        assertTrue(c.configFact().uniqueIp());
        assertEquals(3, c.configFact().numZoneInstances());
        assertEquals("default", c.configFact().defaultLbMode());
        assertEquals(Map.of("app.kubernetes.io/component", "agent", "app.kubernetes.io/name", "shardlb"),
                c.bridge().agentSelector());
        assertEquals("shardlb", c.bridge().agentNamespace());
        assertEquals(Duration.ofSeconds(5), c.lease().leaseDuration());
        assertEquals("pod-1", c.lease().identity());
        assertEquals("shardlb.", c.logOptions().topicPrefix());
        assertEquals("onearm", parse(with("--setLBMode=1")).configFact().defaultLbMode());
        assertTrue(parse(with("--noZoneName", "--acceptClassless")).bridge().noZoneName());
        assertEquals(List.of("loxilb.io/loxilb", "shardlb.io/shardlb"), c.bridge().classes());
        assertEquals(List.of("shardlb.io/shardlb"),
                parse(with("--loadBalancerClass=shardlb.io/shardlb")).bridge().classes());
    }

    @Test
    void logPropertiesAreRead() throws Exception {
        Path f = Files.createTempFile("client", ".properties");
        Files.writeString(f, "security.protocol=SSL\nproducer.linger.ms=1\n");
        assertEquals(Map.of("security.protocol", "SSL", "producer.linger.ms", "1"),
                parse(with("--logProperties=" + f)).logOptions().clientProperties());
        Files.delete(f);
    }

    @Test
    void aBadValueNamesItsFlagAndValue() {
        Map<String, String> cases = Map.of(
                "--cidrPools=defaultPool=192.168.80.250/33", "--cidrPools",
                "--setLBMode=sideways", "--setLBMode=sideways",
                "--agentSelector=app", "--agentSelector=app",
                "--leaseDuration=soon", "--leaseDuration=soon",
                "--leaseDuration=500ms", "--leaseDuration=500ms",
                "--numZoneInstances=0", "--numZoneInstances=0",
                "--loadBalancerClass=example.com/x", "--loadBalancerClass=example.com/x",
                "--zone=Not_A_Label", "--zone=Not_A_Label",
                "--logProperties=/nonexistent/client.properties", "--logProperties=/nonexistent/client.properties");
        cases.forEach((flag, named) -> {
            UserError e = assertThrows(UserError.class, () -> parse(with(flag)), flag);
            assertTrue(e.getMessage().contains(named), () -> flag + " -> " + e.getMessage());
        });
    }

    @Test
    void theCommandExitsTwoOnABadFlag() {
        assertEquals(2, Main.run(with("--setLBMode=sideways").stream()
                .collect(() -> new ArrayList<>(List.of("controller")), List::add, List::addAll)
                .toArray(String[]::new)));
        assertEquals(2, Main.run("controller", "--log=kafka://127.0.0.1:9092", "--numZoneInstances=three"));
    }
}
