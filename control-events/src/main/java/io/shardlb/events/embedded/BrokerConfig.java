package io.shardlb.events.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The server properties of an embedded node, tuned for tests and local runs: loopback only, tiny internal
 * topics, fast transaction clean-up, and (in clusters) a short broker session so failover tests take seconds.
 */
final class BrokerConfig {
    private BrokerConfig() {
    }

    static Properties of(Path nodeDir, NodeSpec self, List<NodeSpec> quorum, Map<String, String> overrides) {
        int n = quorum.size();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(self.nodeId()));
        p.put("controller.quorum.voters", String.join(",", quorum.stream().map(NodeSpec::voter).toList()));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort() + ",CONTROLLER://127.0.0.1:"
                + self.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", nodeDir.resolve("logs").toString());
        p.put("metadata.log.dir", nodeDir.resolve("metadata").toString());

        String rf = Integer.toString(Math.min(3, n));
        String minIsr = Integer.toString(n >= 3 ? 2 : 1);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A killed transactional writer must not stall plan readers for long, even without a successor.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("transaction.remove.expired.transaction.cleanup.interval.ms", "10000");
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        if (n > 1) {
            // Failover tests: a dead broker is noticed in about a second and a half, not nine.
            p.put("broker.heartbeat.interval.ms", "250");
            p.put("broker.session.timeout.ms", "1500");
            p.put("controller.quorum.election.timeout.ms", "500");
            p.put("controller.quorum.fetch.timeout.ms", "1000");
            p.put("replica.lag.time.max.ms", "2000");
        }
        p.putAll(overrides);
        return p;
    }

    /**
     * Overrides that make the client listener (the node's broker port) SASL_PLAINTEXT with SCRAM-SHA-512 and turn
     * on the standard authorizer; the broker talks to itself on a PLAINTEXT listener at {@code internalPort}
     * whose (anonymous) principal is the only super user.
     */
    static Map<String, String> saslScram(NodeSpec self, int internalPort) {
        String client = "CLIENT://127.0.0.1:" + self.brokerPort();
        String internal = "INTERNAL://127.0.0.1:" + internalPort;
        return Map.of(
                "listeners", client + "," + internal + ",CONTROLLER://127.0.0.1:" + self.controllerPort(),
                "advertised.listeners", client + "," + internal,
                "listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL",
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS",
                "allow.everyone.if.no.acl.found", "false");
    }
    /**
     * Overrides that add one PLAINTEXT client listener per name on {@code ports} (beside the node's own), each
     * advertising {@code 127.0.0.1:advertised[name]}: a client bootstrapping through a relay at the advertised port
     * is told to use that relay for every later connection, so a test can cut that one client off the broker.
     */
    static Map<String, String> relayedListeners(NodeSpec self, Map<String, Integer> ports,
                                                Map<String, Integer> advertised) {
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + self.brokerPort()
                + ",CONTROLLER://127.0.0.1:" + self.controllerPort());
        StringBuilder adverts = new StringBuilder("PLAINTEXT://127.0.0.1:" + self.brokerPort());
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            String name = e.getKey();
            listeners.append(',').append(name).append("://127.0.0.1:").append(e.getValue());
            adverts.append(',').append(name).append("://127.0.0.1:").append(advertised.get(name));
            protocols.append(',').append(name).append(":PLAINTEXT");
        }
        return Map.of("listeners", listeners.toString(), "advertised.listeners", adverts.toString(),
                "listener.security.protocol.map", protocols.toString());
    }
}
