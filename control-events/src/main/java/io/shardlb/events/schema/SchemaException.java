package io.shardlb.events.schema;

/**
 * A record this code cannot read: an unknown type, a newer schema version, or a body that does not parse.
 * Never skipped silently at this layer: decision-makers stop on it, the agent counts and skips it.
 */
public final class SchemaException extends RuntimeException {
    private final String type;
    private final int version;
    private final String position;

    public SchemaException(String message, String type, int version, String position, Throwable cause) {
        super(message + ": type=" + type + " version=" + version + " position=" + position, cause);
        this.type = type;
        this.version = version;
        this.position = position;
    }

    public String type() {
        return type;
    }

    public int version() {
        return version;
    }

    public String position() {
        return position;
    }
}
