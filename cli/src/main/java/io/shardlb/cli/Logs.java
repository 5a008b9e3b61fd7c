package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.log.EventLog;

/** Opens the log a command names, turning a malformed URI into a user error (exit 2). */
final class Logs {
    private Logs() {
    }

    static EventLog open(String uri) {
        try {
            return EventLogs.open(uri);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
