package io.shardlb.bridge.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent DaemonSet: host network, exactly five capabilities and never privileged, bpffs, time to drain,
 * probes on its API, and a label selector the controller is told about.
 */
class AgentPodTest {
    static final Set<String> CAPABILITIES = Set.of("NET_ADMIN", "NET_RAW", "BPF", "PERFMON", "IPC_LOCK");

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "ipv6.yaml", "no-zone-name.yaml"})
    void agentHoldsExactlyTheListedCapabilitiesOnTheHostNetwork(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        PodSpec pod = r.agent().getSpec().getTemplate().getSpec();
        Container agent = r.agentContainer();
        var caps = agent.getSecurityContext().getCapabilities();
        assertEquals(List.of("ALL"), caps.getDrop());
        assertEquals(CAPABILITIES, Set.copyOf(caps.getAdd()));
        assertEquals(CAPABILITIES.size(), caps.getAdd().size(), "no capability twice");
        assertEquals(Boolean.FALSE, agent.getSecurityContext().getPrivileged());
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy(), "brokers' names resolve from the host network");

        Volume bpffs = pod.getVolumes().stream().filter(v -> v.getName().equals("bpffs")).findFirst().orElseThrow();
        assertEquals("/sys/fs/bpf", bpffs.getHostPath().getPath());
        assertTrue(agent.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("bpffs")
                && m.getMountPath().equals("/sys/fs/bpf") && m.getMountPropagation() == null),
                "bpffs mounted, without Bidirectional propagation (that would need privileged)");

        long grace = pod.getTerminationGracePeriodSeconds();
        long drain = Long.parseLong(arg(agent, "--drainTimeout=").replace("s", ""));
        assertTrue(grace >= 30 && grace > drain, () -> "grace " + grace + " s must exceed the drain " + drain + " s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "ipv6.yaml"})
    void agentApiAnswersProbesOnThePodAddress(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        Container agent = r.agentContainer();
        assertEquals(List.of("shardlb"), agent.getCommand());
        assertEquals("agent", agent.getArgs().getFirst());
        assertTrue(agent.getArgs().containsAll(List.of("--name=$(POD_NAME)", "--forwarder=xdp",
                "--apiHost=$(POD_IP)", "--apiPort=11111")), () -> "agent args: " + agent.getArgs());
        assertEquals("status.podIP", env(agent, "POD_IP").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.name", env(agent, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals(11111, agent.getPorts().getFirst().getContainerPort());
        assertProbe(agent.getReadinessProbe(), "/readyz");
        assertProbe(agent.getLivenessProbe(), "/healthz");
        Service metrics = r.one(Service.class, "shardlb-agent-metrics");
        assertEquals("api", metrics.getSpec().getPorts().getFirst().getTargetPort().getStrVal());
        assertEquals(r.agent().getSpec().getSelector().getMatchLabels(), metrics.getSpec().getSelector());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "no-zone-name.yaml"})
    void controllerIsToldTheSelectorThatPicksExactlyTheAgentPods(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        Map<String, String> selector = new LinkedHashMap<>();
        for (String kv : arg(r.controllerContainer(), "--agentSelector=").split(",")) {
            String[] p = kv.split("=", 2);
            selector.put(p[0], p[1]);
        }
        assertEquals(r.agent().getSpec().getSelector().getMatchLabels(), selector, "the DaemonSet's own selector");
        var agentLabels = r.agent().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(agentLabels.entrySet().containsAll(selector.entrySet()), "agent pods match");
        var controllerLabels = r.controller().getSpec().getTemplate().getMetadata().getLabels();
        assertFalse(controllerLabels.entrySet().containsAll(selector.entrySet()), "controller pods do not");
        assertTrue(r.controllerContainer().getArgs().contains("--agentNamespace=" + HelmChart.NAMESPACE));
    }

    private static void assertProbe(Probe probe, String path) {
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("api", probe.getHttpGet().getPort().getStrVal());
    }

    private static String arg(Container c, String prefix) {
        return c.getArgs().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + c.getArgs()));
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }
}
