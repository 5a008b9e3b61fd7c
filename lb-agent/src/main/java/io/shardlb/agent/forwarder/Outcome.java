package io.shardlb.agent.forwarder;

/** What a forwarder did with a delta: applied as asked, applied with a stated limitation, or refused. */
public sealed interface Outcome permits Outcome.Applied, Outcome.Degraded, Outcome.Refused {

    /** Applied exactly as asked. */
    record Applied() implements Outcome {
    }

    /** Applied, but this forwarder cannot honour everything asked: {@code limitation} says what differs. */
    record Degraded(String limitation) implements Outcome {
    }

    /** Not applied; nothing changed. */
    record Refused(String reason) implements Outcome {
    }

    /** The singleton {@link Applied}. */
    Outcome APPLIED = new Applied();

    /** True unless refused. */
    default boolean applied() {
        return !(this instanceof Refused);
    }
}
