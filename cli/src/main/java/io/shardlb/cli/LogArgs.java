package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --log URI}: which log to read. Without it, {@code SHARDLB_LOG} from the environment, else the log of a
 * running {@code shardlb local} in this directory.
 */
final class LogArgs {
    /** Where {@code shardlb local} writes the URI of its log. */
    static final Path LOCAL_LOG_URI = io.shardlb.cli.local.LocalHome.CURRENT.logUri();

    @Option(names = "--log", paramLabel = "URI",
            description = "the log: kafka://HOST:PORT[,HOST:PORT…] (default: $SHARDLB_LOG, else the local system)")
    String uri;

    @Option(names = "--topicPrefix", paramLabel = "PREFIX",
            description = "prefix of the log's topic names (default: shardlb.)")
    String topicPrefix;

    @Option(names = "--logProperties", paramLabel = "FILE",
            description = "Kafka client properties (TLS, SASL), as the controller and agents take them")
    Path logProperties;

    String resolve() {
        if (uri != null && !uri.isBlank()) {
            return uri;
        }
        String env = System.getenv("SHARDLB_LOG");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (Files.isRegularFile(LOCAL_LOG_URI)) {
            try {
                return Files.readString(LOCAL_LOG_URI).strip();
            } catch (IOException e) {
                throw new UserError("cannot read " + LOCAL_LOG_URI + ": " + e.getMessage());
            }
        }
        throw new UserError("no --log URI given, SHARDLB_LOG is not set, and no local system is running here "
                + "(start one with: bin/shardlb local)");
    }

    EventLog open() {
        if (topicPrefix == null && logProperties == null) {
            return Logs.open(resolve());
        }
        // the same parser as the controller's and the agent's flags: one meaning, one error message
        LogOptions options = ControllerConfig.logOptions(topicPrefix, LogOptions.defaults().heartbeatPartitions(), logProperties);
        try {
            return EventLogs.open(resolve(), options);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
