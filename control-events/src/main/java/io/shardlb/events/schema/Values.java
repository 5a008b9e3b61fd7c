package io.shardlb.events.schema;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Helpers that keep record fields immutable and never null. */
final class Values {
    private Values() {
    }

    static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : List.copyOf(in);
    }

    static SortedMap<String, String> sorted(Map<String, String> in) {
        return in == null ? java.util.Collections.emptySortedMap()
                : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(in));
    }

    static String str(String in) {
        return in == null ? "" : in;
    }
}
