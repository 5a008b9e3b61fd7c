package io.shardlb.agent.control;

import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.EventLogs;
import io.shardlb.events.log.LogOptions;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point of a bare agent process ({@code shardlb agent} is the user's; this one serves child-process tests and
 * benchmarks): {@code --name N --log URI --interface IF [--forwarder proxy] [--apiHost H] [--apiPort P]
 * [--journal DIR] [--drainTimeout 30s] [--topicPrefix P] [--lease BEAT_MS,LEASE_MS,MARGIN_MS]} (the lease must
 * match the arbiter's). Prints {@code AGENT READY api=HOST:PORT} once the API
 * is up; SIGTERM drains, then exits.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        AgentConfig config;
        try {
            config = configOf(flags);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(config);
    }

    static AgentConfig configOf(Map<String, String> f) {
        String name = f.get("--name");
        return new AgentConfig(name, f.get("--log"), f.getOrDefault("--topicPrefix", LogOptions.DEFAULT_PREFIX),
                f.get("--interface"), ForwarderKind.parse(f.getOrDefault("--forwarder", "proxy")),
                f.getOrDefault("--apiHost", "127.0.0.1"), Integer.parseInt(f.getOrDefault("--apiPort", "0")),
                Path.of(f.getOrDefault("--journal", "journal-" + name)),
                AgentConfig.parseDuration("--drainTimeout", f.getOrDefault("--drainTimeout", "30s")),
                leaseOf(f.getOrDefault("--lease", "")));
    }

    /** {@code BEAT,LEASE,MARGIN} in milliseconds ({@link LeaseSettings}); empty means the defaults. */
    static LeaseSettings leaseOf(String value) {
        if (value.isEmpty()) {
            return LeaseSettings.DEFAULTS;
        }
        String[] ms = value.split(",");
        try {
            if (ms.length != 3) {
                throw new IllegalArgumentException("three values expected");
            }
            return new LeaseSettings(Long.parseLong(ms[0].trim()), Long.parseLong(ms[1].trim()),
                    Long.parseLong(ms[2].trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lease must be BEAT_MS,LEASE_MS,MARGIN_MS: --lease=" + value + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Runs an agent until SIGTERM (drain) and returns when it has stopped. */
    public static void run(AgentConfig config) {
        Agent agent = Agent.start(config, Forwarders.open(config.forwarder(), config.iface()),
                () -> EventLogs.open(config.logUri(), LogOptions.defaults().withTopicPrefix(config.topicPrefix())));
        Thread hook = new Thread(agent::drainAndStop, "agent-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("AGENT READY api=" + config.apiHost() + ":" + agent.apiPort() + " journalRules="
                + agent.journalRules());
        System.out.flush();
        agent.awaitExit(Long.MAX_VALUE);
    }
}
