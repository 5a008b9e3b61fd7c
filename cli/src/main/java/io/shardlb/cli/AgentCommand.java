package io.shardlb.cli;

import io.shardlb.agent.control.Agent;
import io.shardlb.agent.control.AgentConfig;
import io.shardlb.agent.control.ForwarderKind;
import io.shardlb.agent.control.Forwarders;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.EventLogs;
import io.shardlb.events.log.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code shardlb agent}: one load-balancer agent. Every flag is validated before anything starts; a bad one stops
 * start-up with a message naming it (exit 2). SIGTERM drains: the agent beats {@code draining}, waits until the plan
 * has handed its instances to other agents or the drain timeout passes, then exits.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run an agent: replay the plan, claim VIPs under the lease, program the forwarder.")
final class AgentCommand implements Runnable {
    @Option(names = "--log", paramLabel = "URI", required = true, description = "the log: kafka://HOST:PORT[,…]")
    String log;
    @Option(names = "--name", required = true, description = "agent name (the pod name)")
    String name;
    @Option(names = "--interface", paramLabel = "IF", required = true, description = "interface to serve")
    String iface;
    @Option(names = "--forwarder", defaultValue = "xdp", description = "xdp (production) or proxy (loopback VIPs)")
    String forwarder;
    @Option(names = "--apiHost", defaultValue = "127.0.0.1", description = "address of the read-only API (the pod "
            + "address; never 0.0.0.0)")
    String apiHost;
    @Option(names = "--apiPort", defaultValue = "11111", description = "API port")
    int apiPort;
    @Option(names = "--journal", paramLabel = "DIR", description = "local plan journal (default .shardlb/agent-NAME)")
    Path journal;
    @Option(names = "--drainTimeout", defaultValue = "30s", description = "how long SIGTERM waits for handovers")
    String drainTimeout;
    @Option(names = "--topicPrefix", defaultValue = LogOptions.DEFAULT_PREFIX, description = "prefix of topic names")
    String topicPrefix;
    @Option(names = "--heartbeatPartitions", defaultValue = "2", description = "partitions of the heartbeats topic")
    int heartbeatPartitions;
    @Option(names = "--logProperties", paramLabel = "FILE", description = "Kafka client properties (TLS, SASL)")
    Path logProperties;

    @Override
    public void run() {
        AgentConfig config;
        LogOptions options;
        try {
            config = new AgentConfig(name, log, topicPrefix, iface, ForwarderKind.parse(forwarder), apiHost, apiPort,
                    journal != null ? journal : Path.of(".shardlb", "agent-" + name),
                    AgentConfig.parseDuration("--drainTimeout", drainTimeout), LeaseSettings.DEFAULTS);
            options = ControllerConfig.logOptions(topicPrefix, heartbeatPartitions, logProperties);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Forwarder fwd;
        try {
            fwd = Forwarders.open(config.forwarder(), config.iface());
        } catch (IllegalArgumentException e) {
            throw new UserError("--interface " + config.iface() + ": " + e.getMessage());
        }
        Agent agent = Agent.start(config, fwd, () -> EventLogs.open(config.logUri(), options));
        Runtime.getRuntime().addShutdownHook(new Thread(agent::drainAndStop, "agent-sigterm"));
        System.out.println("agent " + config.name() + " API on http://" + config.apiHost() + ":" + agent.apiPort()
                + " (" + agent.journalRules() + " rules from the journal)");
        agent.awaitExit(Long.MAX_VALUE);
    }
}
