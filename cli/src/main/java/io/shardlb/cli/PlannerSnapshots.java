package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.snapshot.Snapshots;
import io.shardlb.planner.stage.SnapshotStore;

import java.util.List;
import java.util.Optional;

/** The planner's images on the {@code snapshots} topic, through control-events' snapshot helpers. */
final class PlannerSnapshots implements SnapshotStore {
    /** The stage name of the planner's chunks. */
    static final String STAGE = "planner";

    private final EventLog log;

    PlannerSnapshots(EventLog log) {
        this.log = log;
    }

    @Override
    public List<Outgoing> chunk(long position, byte[] image) {
        return Snapshots.chunk(STAGE, position, image);
    }

    @Override
    public Optional<Stored> latest() {
        return Snapshots.latest(log, STAGE).map(s -> new Stored(s.position(), s.image()));
    }
}
