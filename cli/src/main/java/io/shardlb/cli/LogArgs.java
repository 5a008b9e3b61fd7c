package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
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
        return Logs.open(resolve());
    }
}
