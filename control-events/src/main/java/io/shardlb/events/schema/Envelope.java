package io.shardlb.events.schema;

import java.util.Objects;
import java.util.UUID;

/**
 * Every record on every topic is wrapped in an envelope.
 *
 * @param schemaVersion version of the record schema it was written with
 * @param type          the payload's type name (its simple class name, e.g. {@code ServiceObserved})
 * @param id            unique id given by the writer
 * @param logTime       the log's time for the record (epoch ms): the broker's {@code LogAppendTime}, never a
 *                      writer's clock; {@link #UNSET} before the record is appended. Not part of the wire form.
 * @param writer        who wrote it ({@code kube-bridge}, {@code planner}, {@code agent-a#7}, …)
 * @param basedOn       on {@code plan} records: the last {@code events} offset the batch answers; else {@link #UNSET}
 * @param payload       the record itself
 */
public record Envelope(int schemaVersion, String type, String id, long logTime, String writer, long basedOn,
                       Payload payload) {

    /** The schema version this code writes, and the newest it reads. */
    public static final int CURRENT_VERSION = 1;
    /** Marks an absent {@code logTime} or {@code basedOn}. */
    public static final long UNSET = -1L;

    public Envelope {
        Objects.requireNonNull(payload, "payload");
        type = type == null || type.isEmpty() ? payload.getClass().getSimpleName() : type;
        id = id == null || id.isEmpty() ? UUID.randomUUID().toString() : id;
        writer = writer == null ? "" : writer;
    }

    /** A new envelope for {@code payload} written by {@code writer}, with a random id. */
    public static Envelope of(Payload payload, String writer) {
        return new Envelope(CURRENT_VERSION, null, null, UNSET, writer, UNSET, payload);
    }

    /** A plan envelope answering {@code events} up to {@code basedOn}. */
    public static Envelope decision(Decision decision, String writer, long basedOn) {
        return new Envelope(CURRENT_VERSION, null, null, UNSET, writer, basedOn, decision);
    }

    /** This envelope as read from the log at {@code logTime}. */
    public Envelope withLogTime(long logTime) {
        return new Envelope(schemaVersion, type, id, logTime, writer, basedOn, payload);
    }

    /** The payload, cast to the type the caller expects for its topic. */
    public <T extends Payload> T payload(Class<T> type) {
        return type.cast(payload);
    }
}
