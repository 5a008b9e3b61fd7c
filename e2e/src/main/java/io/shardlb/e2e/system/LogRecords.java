package io.shardlb.e2e.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardlb.events.schema.RecordCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of one topic as {@code shardlb log dump -o json} prints them, read in a fresh JVM as a user would:
 * the judges' view of what was decided (AgentDown facts) and of when beats were acknowledged (their LogAppendTime).
 */
public final class LogRecords {
    private LogRecords() {
    }

    /**
     * One record.
     *
     * @param partition its partition
     * @param logTime   its log time (the broker's append time), epoch ms
     * @param type      the payload type ({@code AgentDown}, {@code Heartbeat}, …)
     * @param body      the payload as JSON
     */
    public record Entry(int partition, long logTime, String type, JsonNode body) {
    }

    /** Every record of {@code topic} up to its end now; {@code out} keeps the raw output. */
    static List<Entry> dump(String logUri, String topic, Path out) {
        Replay r = Replay.run(List.of("log", "dump", "--log", logUri, "--topic", topic, "-o", "json"), out);
        if (!r.verified()) {
            throw new IllegalStateException("shardlb log dump --topic " + topic + " failed (exit " + r.exit()
                    + ", output in " + out + ")");
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : r.output().lines().toList()) {
            if (line.startsWith("{")) {
                entries.add(parse(line));
            }
        }
        return entries;
    }

    private static Entry parse(String line) {
        try {
            JsonNode n = RecordCodec.mapper().readTree(line);
            return new Entry(n.get("partition").asInt(), Instant.parse(n.get("logTime").asText()).toEpochMilli(),
                    n.get("type").asText(), n.get("body"));
        } catch (IOException e) {
            throw new UncheckedIOException("not a log dump line: " + line, e);
        }
    }
}
