package io.shardlb.events.image;

/**
 * Where an image comes from: the offset of the last record folded into it and that record's log time.
 * {@link #EMPTY} is the provenance of an image built from nothing.
 */
public record Provenance(long offset, long logTime) {
    /** No record folded in yet. */
    public static final Provenance EMPTY = new Provenance(-1L, -1L);

    /** The offset of the next record to read after this image. */
    public long nextOffset() {
        return offset + 1;
    }
}
