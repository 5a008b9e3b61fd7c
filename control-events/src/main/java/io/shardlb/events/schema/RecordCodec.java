package io.shardlb.events.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one codec of the record schema. Wire form (UTF-8 JSON):
 * <pre>{"v":1,"type":"ServiceObserved","id":"…","writer":"kube-bridge","basedOn":17,"body":{…}}</pre>
 * {@code basedOn} appears only on plan records; the log time is the log's, so it is not in the wire form.
 * Fields of a body are written in declaration order, so the bytes are deterministic (golden files pin them).
 */
public final class RecordCodec {
    private static final Map<String, Class<? extends Payload>> TYPES = new HashMap<>();

    static {
        for (Class<?> top : Payload.class.getPermittedSubclasses()) {
            if (top.isInterface()) {
                for (Class<?> c : top.getPermittedSubclasses()) {
                    register(c);
                }
            } else {
                register(top);
            }
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private RecordCodec() {
    }

    @SuppressWarnings("unchecked")
    private static void register(Class<?> c) {
        TYPES.put(c.getSimpleName(), (Class<? extends Payload>) c);
    }

    /** The type names this code knows, for documentation and tests. */
    public static Map<String, Class<? extends Payload>> knownTypes() {
        return Map.copyOf(TYPES);
    }

    /** The shared mapper (records, deterministic field order). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Encodes an envelope to its wire form, streaming straight to bytes (no intermediate tree: encoding was most
     * of a writer's CPU). The golden files pin that the bytes are the same as the tree form's.
     */
    public static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", envelope.schemaVersion());
            g.writeStringField("type", envelope.type());
            g.writeStringField("id", envelope.id());
            g.writeStringField("writer", envelope.writer());
            if (envelope.basedOn() != Envelope.UNSET) {
                g.writeNumberField("basedOn", envelope.basedOn());
            }
            g.writeFieldName("body");
            MAPPER.writeValue(g, envelope.payload());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a record read from {@code topic} at {@code position} (used in error messages), stamping it with
     * the log's {@code logTime}.
     *
     * @throws SchemaException for an unknown type, a newer version, a type not allowed on the topic, or a body
     *                         that does not parse
     */
    public static Envelope decode(byte[] bytes, Topic topic, long logTime, String position) {
        // One streaming pass: our writer puts v, type, id, writer and basedOn before the body, so the body is
        // bound straight to its record class. A body that comes first (another writer) is buffered as a tree.
        int version = -1;
        String type = "?";
        String id = "";
        String writer = "";
        long basedOn = Envelope.UNSET;
        Payload payload = null;
        JsonNode pendingBody = null;
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SchemaException("record is not a JSON object", "?", -1, position, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> version = value.isNumeric() ? p.getIntValue() : -1;
                    case "type" -> type = p.getValueAsString("?");
                    case "id" -> id = p.getValueAsString("");
                    case "writer" -> writer = p.getValueAsString("");
                    case "basedOn" -> basedOn = p.getValueAsLong(Envelope.UNSET);
                    case "body" -> {
                        if (version != -1 && !"?".equals(type)) {
                            payload = MAPPER.readValue(p, checkType(type, version, topic, position));
                        } else {
                            pendingBody = MAPPER.readTree(p);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (payload == null) {
                Class<? extends Payload> cls = checkType(type, version, topic, position);
                payload = MAPPER.treeToValue(pendingBody == null ? MAPPER.createObjectNode() : pendingBody, cls);
            }
        } catch (SchemaException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new SchemaException("record does not parse", type, version, position, e);
        }
        if (payload == null) {
            throw new SchemaException("record has no body", type, version, position, null);
        }
        return new Envelope(version, type, id, logTime, writer, basedOn, payload);
    }

    private static Class<? extends Payload> checkType(String type, int version, Topic topic, String position) {
        if (version < 1 || version > Envelope.CURRENT_VERSION) {
            throw new SchemaException("unsupported schema version (this code reads 1.." + Envelope.CURRENT_VERSION
                    + ")", type, version, position, null);
        }
        Class<? extends Payload> cls = TYPES.get(type);
        if (cls == null) {
            throw new SchemaException("unknown record type", type, version, position, null);
        }
        if (topic != null && !topic.payloadType().isAssignableFrom(cls)) {
            throw new SchemaException("record type not allowed on topic " + topic.suffix(), type, version,
                    position, null);
        }
        return cls;
    }

    /** Encodes any value (a snapshot image, a dump line) with the shared mapper. */
    public static byte[] toJson(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a value written by {@link #toJson}. */
    public static <T> T fromJson(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
