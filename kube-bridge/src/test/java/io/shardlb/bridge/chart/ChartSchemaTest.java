package io.shardlb.bridge.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad values stop {@code helm install} / {@code template} before anything is rendered, with a message that
 * names the value and says what is expected (values.schema.json, and the chart's own checks for what a schema
 * cannot compare).
 */
class ChartSchemaTest {
    static final String POOL4 = "at '/cidrPools': value must be 'NAME=CIDR or NAME=FIRST-LAST with IPv4 addresses,"
            + " several separated by commas, e.g. defaultPool=192.168.80.250/24'";

    @Test
    void aPoolWithoutANameIsRejected() {
        assertMessage(HelmChart.rejection("cidrPools: 192.168.80.250/24\n"), POOL4);
        assertMessage(HelmChart.rejection("cidrPools: defaultPool=192.168.80.250/24,10.0.0.1/24\n"), POOL4);
        assertMessage(HelmChart.rejection("cidrPools: [defaultPool=192.168.80.250/24, 10.0.0.1-10.0.0.9]\n"),
                "at '/cidrPools/1': value must be 'NAME=CIDR or NAME=FIRST-LAST with IPv4 addresses");
    }

    @Test
    void anIpv4PoolInCidr6PoolsIsRejected() {
        assertMessage(HelmChart.rejection("cidr6Pools: defaultPool=192.168.80.250/24\n"),
                "at '/cidr6Pools': value must be 'NAME=CIDR or NAME=FIRST-LAST with IPv6 addresses");
    }

    @Test
    void fewerThanOneInstanceIsRejected() {
        assertMessage(HelmChart.rejection("cidrPools: defaultPool=192.168.80.250/24\nnumZoneInstances: 0\n"),
                "at '/numZoneInstances': minimum: got 0, want 1");
        assertMessage(HelmChart.rejection("numZoneInstances: -3\n"), "at '/numZoneInstances': minimum: got -3, want 1");
    }

    @Test
    void otherBadValuesAreNamed() {
        assertMessage(HelmChart.rejection("kafka:\n  bootstrap: kafka://k:9092\n"),
                "at '/kafka/bootstrap': value must be 'empty, or HOST:PORT[,HOST:PORT...] of an existing Kafka cluster"
                        + " (no kafka:// prefix)");
        assertMessage(HelmChart.rejection("setLBMode: nat\n"), "at '/setLBMode'");
        assertMessage(HelmChart.rejection("agent:\n  forwarder: dpdk\n"), "at '/agent/forwarder'");
        assertMessage(HelmChart.rejection("kafka:\n  replicas: 0\n"), "at '/kafka/replicas': minimum: got 0, want 1");
    }

    @Test
    void aMisspeltValueIsRejectedNotIgnored() {
        assertMessage(HelmChart.rejection("numZoneInstance: 3\n"),
                "additional properties 'numZoneInstance' not allowed");
        assertMessage(HelmChart.rejection("agent:\n  interfaces: eth1\n"),
                "additional properties 'interfaces' not allowed");
    }

    @Test
    void aDrainLongerThanTheGracePeriodIsRejected() {
        assertMessage(HelmChart.rejection("agent:\n  drainTimeoutSeconds: 40\n"),
                "agent.terminationGracePeriodSeconds (30) must exceed agent.drainTimeoutSeconds (40)");
    }

    @Test
    void kafkaAclsNeedAnAdminLogin() {
        assertMessage(HelmChart.rejection("kafka:\n  acls:\n    enabled: true\n"),
                "kafka.acls.enabled needs kafka.acls.adminSecret");
    }

    private static void assertMessage(String message, String expected) {
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in Helm's message:\n" + message);
    }
}
