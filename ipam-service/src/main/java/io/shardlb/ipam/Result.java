package io.shardlb.ipam;

import io.shardlb.events.schema.Decision;

import java.util.List;

/**
 * What a command returns: the records to append (and to replay, which is the only way the image changes) and a
 * typed response for the caller.
 *
 * @param records  the decisions to write, in order; empty when nothing changes
 * @param response the answer
 * @param <T>      the response type
 */
public record Result<T>(List<Decision> records, T response) {
    public Result {
        records = List.copyOf(records);
    }
}
