package io.shardlb.bridge.chart;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart renders, for its defaults and four value sets, into objects fabric8 reads completely, and those
 * objects say what the install promises: Kafka in the release (or not), the controller's flags, the pods'
 * security. The value sets live in {@code src/test/resources/chart/}.
 */
class ChartRenderTest {
    static final String KAFKA_HOSTS = "shardlb-kafka-%d.shardlb-kafka-headless.kube-system.svc.cluster.local";

    @Test
    void lintStrictIsCleanWithTheDefaultValues() {
        LintResult lint = HelmChart.lintStrict();
        assertFalse(lint.isFailed(), () -> "lint failed: " + lint.getMessages());
        assertEquals(List.of(), lint.getMessages(), "lint --strict has something to say");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "ipv6.yaml", "no-zone-name.yaml"})
    void everyRenderedObjectParsesWithFabric8WithoutUnknownFields(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        assertTrue(r.objects().size() >= 12, () -> "too few objects: " + r.objects().size());
        for (HasMetadata o : r.objects()) {
            assertEquals(List.of(), UnknownFields.in(o), () -> "fields fabric8 does not know in " + o.getKind()
                    + " " + o.getMetadata().getName());
            if (!o.getKind().startsWith("Cluster")) {
                assertEquals(HelmChart.NAMESPACE, o.getMetadata().getNamespace(), o.getKind() + " namespace");
            }
        }
        r.controller();
        r.agent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "ipv6.yaml", "no-zone-name.yaml"})
    void noContainerIsPrivilegedOrCanEscalate(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        for (PodTemplateSpec pod : r.podTemplates()) {
            assertEquals(List.of(), pod.getSpec().getInitContainers(), "no init step (nothing needs a privileged one)");
            assertFalse(Boolean.TRUE.equals(pod.getSpec().getHostPID()), "hostPID");
            assertFalse(Boolean.TRUE.equals(pod.getSpec().getHostIPC()), "hostIPC");
            if (pod.getSpec().getSecurityContext() != null) {
                assertTrue(pod.getSpec().getSecurityContext().getSysctls().isEmpty(), "no sysctls");
            }
            for (Container c : pod.getSpec().getContainers()) {
                var sc = c.getSecurityContext();
                assertEquals(Boolean.FALSE, sc.getPrivileged(), c.getName() + " privileged");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), c.getName() + " escalation");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName() + " drops ALL");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "ipv6.yaml", "no-zone-name.yaml"})
    void controllerRunsTwoReplicasCoveredByAPodDisruptionBudget(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        var controller = r.controller();
        assertEquals(2, controller.getSpec().getReplicas());
        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, "shardlb-controller");
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        var podLabels = controller.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()),
                "the PDB selects the controller pods");
        assertEquals(controller.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        Container c = r.controllerContainer();
        assertEquals(List.of("shardlb"), c.getCommand());
        assertEquals("controller", c.getArgs().getFirst());
        assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("--kubeconfig")), "in-cluster config");
        assertTrue(c.getArgs().contains("--id=$(POD_NAME)"), "leader election identity is the pod");
    }

    @Test
    void seedInstallPassesKubeLoxilbFlagsAndRunsAThreeNodeKafka() {
        Rendered r = HelmChart.render("seed.yaml");
        List<String> args = r.controllerContainer().getArgs();
        String log = "--log=kafka://" + String.join(",", List.of(
                KAFKA_HOSTS.formatted(0) + ":9092", KAFKA_HOSTS.formatted(1) + ":9092",
                KAFKA_HOSTS.formatted(2) + ":9092"));
        assertTrue(args.containsAll(List.of(log, "--cidrPools=defaultPool=192.168.80.250/24", "--setUniqueIP",
                "--numZoneInstances=3", "--zone=llb", "--setLBMode=0", "--heartbeatPartitions=2",
                "--topicPrefix=shardlb.")), () -> "controller args: " + args);
        assertTrue(args.stream().noneMatch(a -> a.startsWith("--cidr6Pools") || a.equals("--noZoneName")
                || a.startsWith("--logProperties")), () -> "controller args: " + args);
        assertTrue(r.agentContainer().getArgs().contains(log), "the agent reads the same log");

        StatefulSet kafka = r.one(StatefulSet.class, "shardlb-kafka");
        assertEquals(3, kafka.getSpec().getReplicas());
        assertEquals("Parallel", kafka.getSpec().getPodManagementPolicy());
        assertTrue(kafka.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                .startsWith("apache/kafka:"), "the official Apache Kafka image");
        assertEquals(1, kafka.getSpec().getVolumeClaimTemplates().size(), "a volume per broker");
        Service headless = r.one(Service.class, "shardlb-kafka-headless");
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
        String props = r.one(ConfigMap.class, "shardlb-kafka").getData().get("server.properties");
        for (String line : List.of("process.roles=broker,controller", "broker.session.timeout.ms=3000",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000", "min.insync.replicas=2",
                "transaction.state.log.replication.factor=3", "auto.create.topics.enable=false",
                "controller.quorum.voters=0@" + KAFKA_HOSTS.formatted(0) + ":9093,1@" + KAFKA_HOSTS.formatted(1)
                        + ":9093,2@" + KAFKA_HOSTS.formatted(2) + ":9093")) {
            assertTrue(props.lines().anyMatch(line::equals), () -> "missing " + line + " in\n" + props);
        }
        assertEquals(1, r.one(PodDisruptionBudget.class, "shardlb-kafka").getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void externalKafkaRunsNoBrokerAndPassesClientSettingsPerComponent() {
        Rendered r = HelmChart.render("external-kafka.yaml");
        assertTrue(r.all(StatefulSet.class).isEmpty(), "no Kafka in the release");
        assertFalse(r.has(ConfigMap.class, "shardlb-kafka"));
        String log = "--log=kafka://kafka-0.kafka.example:9093,kafka-1.kafka.example:9093,kafka-2.kafka.example:9093";
        for (Container c : List.of(r.controllerContainer(), r.agentContainer())) {
            assertTrue(c.getArgs().containsAll(List.of(log, "--topicPrefix=prod.shardlb.", "--heartbeatPartitions=3",
                    "--logProperties=/etc/shardlb/kafka/client/client.properties")), () -> c.getName() + ": " + c.getArgs());
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/shardlb/kafka/tls")),
                    c.getName() + " mounts the TLS secret");
        }
        String controllerProps = r.one(Secret.class, "shardlb-controller-kafka-client").getStringData()
                .get("client.properties");
        String agentProps = r.one(Secret.class, "shardlb-agent-kafka-client").getStringData().get("client.properties");
        for (String props : List.of(controllerProps, agentProps)) {
            assertTrue(props.contains("security.protocol=SASL_SSL\n"), props);
            assertTrue(props.contains("ssl.truststore.location=/etc/shardlb/kafka/tls/truststore.p12\n"), props);
        }
        assertTrue(controllerProps.contains("username=\"shardlb-controller\""), "the controller's principal");
        assertTrue(agentProps.contains("username=\"shardlb-agent\""), "the agents' principal");
        assertFalse(agentProps.contains("shardlb-controller"), "agents never get the controller's credentials");

        GenericKubernetesResource monitor = r.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
    }

    @Test
    void ipv6PoolsOnLabelledNodesWithOneKafkaNode() {
        Rendered r = HelmChart.render("ipv6.yaml");
        List<String> args = r.controllerContainer().getArgs();
        assertTrue(args.containsAll(List.of("--cidr6Pools=defaultPool=fd00:80::250/120,pool6=fd00:81::1-fd00:81::ff",
                "--numZoneInstances=2", "--setLBMode=onearm")), () -> "controller args: " + args);
        assertTrue(args.stream().noneMatch(a -> a.startsWith("--cidrPools")), () -> "controller args: " + args);
        assertTrue(args.contains("--log=kafka://" + KAFKA_HOSTS.formatted(0) + ":9092"), () -> "args: " + args);
        var agentPod = r.agent().getSpec().getTemplate().getSpec();
        assertEquals("", agentPod.getNodeSelector().get("node-role.kubernetes.io/lb"));
        assertEquals("node-role.kubernetes.io/control-plane", agentPod.getTolerations().getFirst().getKey());
        assertTrue(r.agentContainer().getArgs().contains("--interface=ens5"));

        StatefulSet kafka = r.one(StatefulSet.class, "shardlb-kafka");
        assertEquals(1, kafka.getSpec().getReplicas());
        assertTrue(kafka.getSpec().getVolumeClaimTemplates().isEmpty(), "persistence off");
        String props = r.one(ConfigMap.class, "shardlb-kafka").getData().get("server.properties");
        assertTrue(props.contains("transaction.state.log.replication.factor=1\n"), props);
        assertTrue(props.contains("min.insync.replicas=1\n"), props);
        assertFalse(r.has(PodDisruptionBudget.class, "shardlb-kafka"), "no Kafka PDB for one node");
    }

    @Test
    void noZoneNameAndTheOtherKubeLoxilbFlags() {
        Rendered r = HelmChart.render("no-zone-name.yaml");
        List<String> args = r.controllerContainer().getArgs();
        assertTrue(args.containsAll(List.of("--noZoneName", "--zone=edge", "--numZoneInstances=4", "--setLBMode=2",
                "--loadBalancerClass=shardlb.io/shardlb", "--setRoles=0.0.0.0", "--acceptClassless")),
                () -> "controller args: " + args);
        assertTrue(args.stream().noneMatch(a -> a.equals("--setUniqueIP")), "shared VIPs: flag absent");
    }

    @Test
    void notesShowShardsAndReplayAndWarnAboutALoneBroker() {
        String lone = HelmChart.notes("ipv6.yaml");
        assertTrue(lone.contains("shardlb get shards"), lone);
        assertTrue(lone.contains("shardlb replay"), lone);
        assertTrue(lone.contains("WARNING: Kafka runs 1 node(s)"), lone);
        assertTrue(lone.contains("while the lone broker is down no lease can be renewed, so every agent releases\n"
                + "its VIPs"), lone);
        String seed = HelmChart.notes("seed.yaml");
        assertFalse(seed.contains("WARNING"), seed);
        assertTrue(seed.contains("instances:  3 (default, llb-inst1, llb-inst2)"), seed);
        String external = HelmChart.notes("external-kafka.yaml");
        assertNotEquals(-1, external.indexOf("--topicPrefix=prod.shardlb. --logProperties="), external);
        assertTrue(HelmChart.notes(null).contains("WARNING: no pool is configured"));
    }
}
