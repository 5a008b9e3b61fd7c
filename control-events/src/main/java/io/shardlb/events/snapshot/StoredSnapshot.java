package io.shardlb.events.snapshot;

import io.shardlb.events.log.LogPosition;

/**
 * A complete stage image read back from the snapshots topic.
 *
 * @param stage      whose image it is
 * @param snapshotId the id its chunks share
 * @param position   the log position the image covers (the last record folded in), as the writer stated it
 * @param image      the image's bytes, reassembled
 * @param lastChunk  where its last chunk sits on the snapshots topic (with that chunk's log time)
 */
public record StoredSnapshot(String stage, String snapshotId, long position, byte[] image, LogPosition lastChunk) {
}
