package io.shardlb.events.schema;

/**
 * One chunk of a stage's image on the compacted {@code snapshots} topic. An image too large for one message
 * is split into {@code count} chunks that share {@code snapshotId}; it is complete only when all are read.
 *
 * @param stage      the stage whose image this is ({@code planner}, {@code agent}, …)
 * @param snapshotId unique per snapshot
 * @param position   the log position the image covers (the last record folded in)
 * @param index      0-based chunk index
 * @param count      number of chunks
 * @param data       the chunk's bytes, Base64
 */
public record SnapshotChunk(String stage, String snapshotId, long position, int index, int count, String data)
        implements Payload {
    public SnapshotChunk {
        stage = Values.str(stage);
        snapshotId = Values.str(snapshotId);
        data = Values.str(data);
    }

    @Override
    public String subject() {
        return stage;
    }

    @Override
    public String summary() {
        return "snapshot " + snapshotId + " @" + position + " chunk " + (index + 1) + "/" + count;
    }
}
