package io.shardlb.cli;

import io.shardlb.cli.local.AgentCommands;
import io.shardlb.cli.local.ApplyCommand;
import io.shardlb.cli.local.LocalCommand;
import picocli.CommandLine.Command;

/** {@code shardlb}: the top-level command. */
@Command(name = "shardlb", mixinStandardHelpOptions = true, version = "shardlb 0.1.0",
        description = "Sharded, event-sourced load balancer for Kubernetes LoadBalancer Services.",
        subcommands = {LogCommand.class, ReplayCommand.class, LocalCommand.class, ControllerCommand.class,
                AgentCommand.class, GetCommand.class, ApplyCommand.class, AgentCommands.Kill.class,
                AgentCommands.Restart.class})
final class ShardlbCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
