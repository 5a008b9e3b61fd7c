package io.shardlb.planner.mastership;

import io.shardlb.planner.instance.InstanceNames;

import java.util.List;
import java.util.TreeMap;

/**
 * A {@link MastershipImage} as plain data for the planner's snapshot; {@link #toImage()} rebuilds an equal image.
 *
 * @param count             number of current instances
 * @param zone              zone of the names
 * @param zeroName          name of instance 0
 * @param handoverTimeoutMs the configured handover timeout
 * @param agents            every agent ever reported, by name
 * @param instances         every instance state kept (retired ones included), by index
 */
public record MastershipSnapshot(int count, String zone, String zeroName, long handoverTimeoutMs,
                                 List<AgentState> agents, List<InstanceState> instances) {

    /** The data of {@code image}. */
    public static MastershipSnapshot of(MastershipImage image) {
        InstanceNames n = image.names();
        return new MastershipSnapshot(n.count(), n.zone(), n.zeroName(), image.handoverTimeoutMs(),
                List.copyOf(image.agents().values()), List.copyOf(image.instanceList()));
    }

    /** The image this snapshot was taken of. */
    public MastershipImage toImage() {
        TreeMap<String, AgentState> byName = new TreeMap<>();
        agents.forEach(a -> byName.put(a.agent(), a));
        return new MastershipImage(new InstanceNames(count, zone, zeroName), handoverTimeoutMs,
                MastershipImage.freeze(byName), List.copyOf(instances));
    }
}
