package io.shardlb.cli.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shardlb kill-agent NAME} and {@code shardlb restart-agent NAME} against the running local system. */
public final class AgentCommands {
    private AgentCommands() {
    }

    /** {@code kill-agent NAME}: a real {@code kill -9} of one agent, to watch a failover. */
    @Command(name = "kill-agent", mixinStandardHelpOptions = true,
            description = "Kill one agent of the local system with SIGKILL (a crash).")
    public static final class Kill implements Runnable {
        @Parameters(paramLabel = "NAME", description = "agent-1, agent-2 or agent-3")
        String name;

        @Override
        public void run() {
            System.out.println(ControlEndpoint.call(LocalHome.CURRENT, "kill-agent", name));
        }
    }

    /** {@code restart-agent NAME}: stops the agent if it runs (it drains), then starts it again. */
    @Command(name = "restart-agent", mixinStandardHelpOptions = true,
            description = "Start one agent of the local system again (stopping it first if it runs).")
    public static final class Restart implements Runnable {
        @Parameters(paramLabel = "NAME", description = "agent-1, agent-2 or agent-3")
        String name;

        @Override
        public void run() {
            System.out.println(ControlEndpoint.call(LocalHome.CURRENT, "restart-agent", name));
        }
    }
}
