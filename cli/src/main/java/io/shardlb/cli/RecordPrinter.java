package io.shardlb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.RecordCodec;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Prints log records for a person (one aligned line each) or as JSON lines for scripts. */
final class RecordPrinter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Output format of {@code -o}. */
    enum Format { table, json }

    private final PrintStream out;
    private final Format format;

    RecordPrinter(PrintStream out, Format format) {
        this.out = out;
        this.format = format;
    }

    void print(LogEntry entry) {
        out.println(format == Format.json ? json(entry) : line(entry));
    }

    static String line(LogEntry entry) {
        Envelope e = entry.envelope();
        return String.format("%s  %-16s %-14s %-18s %-22s %s", time(entry.logTime()), entry.position(),
                e.writer(), e.type(), e.payload().subject(), e.payload().summary()
                        + (e.basedOn() == Envelope.UNSET ? "" : "  (basedOn events@" + e.basedOn() + ")"));
    }

    static String json(LogEntry entry) {
        Envelope e = entry.envelope();
        ObjectNode node = RecordCodec.mapper().createObjectNode();
        node.put("topic", entry.topic().suffix());
        node.put("partition", entry.partition());
        node.put("offset", entry.offset());
        node.put("logTime", time(entry.logTime()));
        node.put("writer", e.writer());
        node.put("type", e.type());
        node.put("id", e.id());
        if (e.basedOn() != Envelope.UNSET) {
            node.put("basedOn", e.basedOn());
        }
        node.set("body", RecordCodec.mapper().valueToTree(e.payload()));
        return node.toString();
    }

    static String time(long epochMs) {
        return epochMs < 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMs));
    }
}
