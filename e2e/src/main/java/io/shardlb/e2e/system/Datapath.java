package io.shardlb.e2e.system;

import io.shardlb.e2e.probe.Answerers;
import io.shardlb.e2e.probe.LineBackend;
import io.shardlb.e2e.probe.Probe;

import java.time.Duration;
import java.util.List;

/**
 * Where the system's packets flow and how it is judged: the loopback proxy (unprivileged, {@link Loopback}) or XDP
 * agents in network namespaces ({@code io.shardlb.e2e.xdp.XdpDatapath}, root). It says how the broker listens, where
 * the backend runs, how an agent is started, and gives the probe and the answerer monitor their vantage point.
 */
public interface Datapath extends AutoCloseable {

    /** A short name for reports ({@code loopback proxy}, {@code xdp}). */
    String name();

    /** The controller's {@code --cidrPools}: a seed pool ({@code defaultPool=…250/24}) and a {@code bulk} range. */
    String pools();

    /** The first address of the {@code bulk} pool (Service creates take the next one each). */
    String bulkFirst();

    /** Extra arguments for the embedded broker ({@code EmbeddedKafka} main), after {@code --data-dir}. */
    List<String> brokerArgs();

    /** The address agents and users reach the broker on, given the bootstrap the broker printed. */
    String bootstrap(String printed);

    /** Starts the backend pod stand-in where the agents forward to. */
    LineBackend startBackend();

    /** The command prefix agent {@code index} (0-based) runs under (e.g. {@code ip netns exec NS}); may be empty. */
    List<String> agentWrapper(int index);

    /** The agent's datapath flags ({@code --interface}, {@code --forwarder}). */
    List<String> agentArgs(int index);

    /** The probe client, at the vantage point of a user. */
    Probe probe(int port, Duration maxRun);

    /** The judge of answerers, at the vantage point of the network. */
    Answerers monitor(int port, Duration maxRun);

    /**
     * Cuts agent {@code index} off from the broker (its traffic to it dropped where it runs) or, with
     * {@code cut = false}, lets it through again.
     */
    void cutOff(int index, boolean cut);

    @Override
    void close();
}
