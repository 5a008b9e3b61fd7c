package io.shardlb.bridge.out;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON patch being built. JSON patch rather than merge patch: it replaces exactly the members it
 * names, on a real API server and on the mock alike (the mock's merge patch appends arrays).
 */
final class JsonPatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Map<String, Object>> ops = new ArrayList<>();

    JsonPatch add(String path, Object value) {
        return op("add", path, value);
    }

    JsonPatch replace(String path, Object value) {
        return op("replace", path, value);
    }

    JsonPatch test(String path, Object value) {
        return op("test", path, value);
    }

    JsonPatch remove(String path) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "remove");
        op.put("path", path);
        ops.add(op);
        return this;
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(ops);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON patch of plain maps", e);
        }
    }

    /** A JSON pointer segment: {@code ~} and {@code /} escaped (annotation keys contain slashes). */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private JsonPatch op(String name, String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", name);
        op.put("path", path);
        op.put("value", value);
        ops.add(op);
        return this;
    }
}
