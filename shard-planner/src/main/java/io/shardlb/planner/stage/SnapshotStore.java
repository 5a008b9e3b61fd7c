package io.shardlb.planner.stage;

import io.shardlb.events.log.Outgoing;

import java.util.List;
import java.util.Optional;

/**
 * Where the stage keeps its image: chunked records appended in the same fenced batch as the plan records they
 * follow, and the newest complete image read back at activation. Backed by control-events' snapshot helpers on
 * the {@code snapshots} topic.
 */
public interface SnapshotStore {

    /** A stored image and the {@code events} offset it covers. */
    record Stored(long position, byte[] image) {
    }

    /** The records holding {@code image} as of {@code events} offset {@code position}. */
    List<Outgoing> chunk(long position, byte[] image);

    /** The newest complete image, if any. */
    Optional<Stored> latest();
}
