package io.shardlb.events.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wire form is pinned by golden files: any change to how a record is written breaks this test. To accept a
 * deliberate change (which also needs a schema version decision), run with {@code -Dgolden.update=true}.
 */
class RecordCodecTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<String> types() {
        return RecordCodec.knownTypes().keySet().stream().sorted();
    }

    @Test
    void everyTypeOfTheSchemaHasASample() {
        assertEquals(RecordCodec.knownTypes().keySet(), SampleRecords.all().keySet());
    }

    @ParameterizedTest
    @MethodSource("types")
    void wireFormMatchesGoldenFile(String type) throws IOException {
        Envelope e = SampleRecords.envelope(SampleRecords.all().get(type));
        String json = new String(RecordCodec.encode(e), StandardCharsets.UTF_8);
        Path file = GOLDEN.resolve(type + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, json + "\n");
        }
        if (!Files.exists(file)) {
            fail("no golden file for " + type + ": run with -Dgolden.update=true once and review it");
        }
        assertEquals(Files.readString(file).strip(), json, "wire form of " + type + " changed");
    }

    @ParameterizedTest
    @MethodSource("types")
    void decodeOfGoldenGivesTheSameRecord(String type) throws IOException {
        Payload sample = SampleRecords.all().get(type);
        byte[] bytes = Files.readAllBytes(GOLDEN.resolve(type + ".json"));
        Topic topic = Stream.of(Topic.values()).filter(t -> t.payloadType().isInstance(sample)).findFirst()
                .orElseThrow();
        Envelope decoded = RecordCodec.decode(bytes, topic, 1234L, "test@0");
        assertEquals(SampleRecords.envelope(sample).withLogTime(1234L), decoded);
    }

    @Test
    void unknownTypeIsASchemaExceptionNamingTypeVersionAndPosition() {
        byte[] bytes = "{\"v\":1,\"type\":\"FromTheFuture\",\"id\":\"x\",\"writer\":\"w\",\"body\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        SchemaException e = assertThrows(SchemaException.class,
                () -> RecordCodec.decode(bytes, Topic.EVENTS, 0, "events/0@17"));
        assertTrue(e.getMessage().contains("FromTheFuture") && e.getMessage().contains("events/0@17"), e.getMessage());
        assertEquals(1, e.version());
    }

    @Test
    void newerVersionIsASchemaException() {
        byte[] bytes = "{\"v\":2,\"type\":\"Tick\",\"id\":\"x\",\"writer\":\"w\",\"body\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        SchemaException e = assertThrows(SchemaException.class,
                () -> RecordCodec.decode(bytes, Topic.EVENTS, 0, "events/0@3"));
        assertEquals(2, e.version());
        assertEquals("Tick", e.type());
    }

    @Test
    void recordOfAnotherTopicIsRefused() {
        byte[] bytes = RecordCodec.encode(Envelope.of(new Fact.Tick(), "arbiter"));
        assertThrows(SchemaException.class, () -> RecordCodec.decode(bytes, Topic.PLAN, 0, "plan/0@0"));
    }

    @Test
    void garbageIsASchemaExceptionNotACrash() {
        for (String s : new String[]{"", "null", "[1]", "{\"v\":1,\"type\":\"ServiceObserved\",\"body\":{\"ports\":7}}",
                "\u0000\u0001"}) {
            assertThrows(SchemaException.class,
                    () -> RecordCodec.decode(s.getBytes(StandardCharsets.UTF_8), Topic.EVENTS, 0, "events/0@0"), s);
        }
    }
}
