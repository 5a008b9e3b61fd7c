package io.shardlb.planner.stage;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.snapshot.Snapshots;

import java.util.List;
import java.util.Optional;

/**
 * The stage's images on the log's {@code snapshots} topic, through control-events' {@link Snapshots}: chunks
 * returned by {@link #chunk} go into the same fenced batch as the plan records they follow, so a snapshot is
 * committed exactly when the decisions it covers are.
 */
public final class LogSnapshotStore implements SnapshotStore {
    /** The stage name on the snapshots topic. */
    public static final String STAGE = "planner";
    private final EventLog log;

    public LogSnapshotStore(EventLog log) {
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
