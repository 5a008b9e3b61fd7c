package io.shardlb.cli;

import picocli.CommandLine.Command;

/** {@code shardlb}: the top-level command. */
@Command(name = "shardlb", mixinStandardHelpOptions = true, version = "shardlb 0.1.0",
        description = "Sharded, event-sourced load balancer for Kubernetes LoadBalancer Services.",
        subcommands = {LogCommand.class, ReplayCommand.class, LocalCommand.class, ControllerCommand.class,
                AgentCommand.class, GetCommand.class})
final class ShardlbCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
