package io.shardlb.planner.core;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.ipam.IpamSnapshot;
import io.shardlb.planner.mastership.MastershipSnapshot;
import io.shardlb.planner.placement.PlacementSnapshot;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The planner's root image as bytes for the {@code snapshots} topic (JSON through the schema's mapper), and back:
 * {@code fromBytes(toBytes(image)).equals(image)}. A restart restores the newest snapshot and replays the facts
 * after its offset. A snapshot of another format version is refused; the stage then replays from the beginning.
 *
 * @param version    format version ({@link #VERSION})
 * @param observed   {@link ObservedImage#toSnapshot()} bytes
 * @param ipam       the IPAM image
 * @param placement  the placement image
 * @param mastership the mastership image
 * @param rules      the rules in force
 * @param placed     Service → instance of its last {@code ServicePlaced}
 * @param rejected   Service → reasons of its standing rejection
 * @param warned     Service → its last warnings
 * @param offset     provenance: offset of the last fact
 * @param logTime    provenance: its log time
 */
public record PlannerSnapshot(int version, byte[] observed, IpamSnapshot ipam, PlacementSnapshot placement,
                              MastershipSnapshot mastership, List<Decision.RuleSet> rules, Map<String, String> placed,
                              Map<String, List<String>> rejected, Map<String, List<String>> warned, long offset,
                              long logTime) {
    /** The format this code writes and reads. */
    public static final int VERSION = 1;

    /** {@code image} as bytes. */
    public static byte[] toBytes(PlannerImage image) {
        ServiceBook b = image.book();
        return RecordCodec.toJson(new PlannerSnapshot(VERSION, image.observed().toSnapshot(),
                IpamSnapshot.of(image.ipam()), PlacementSnapshot.of(image.placement()),
                MastershipSnapshot.of(image.mastership()), List.copyOf(b.rules().values()), new TreeMap<>(b.placed()),
                new TreeMap<>(b.rejected()), new TreeMap<>(b.warned()), image.provenance().offset(),
                image.provenance().logTime()));
    }

    /**
     * The image written by {@link #toBytes}.
     *
     * @throws IllegalArgumentException if the bytes are of another format version
     */
    public static PlannerImage fromBytes(byte[] bytes) {
        PlannerSnapshot s = RecordCodec.fromJson(bytes, PlannerSnapshot.class);
        if (s.version() != VERSION) {
            throw new IllegalArgumentException("planner snapshot format " + s.version() + " is not " + VERSION);
        }
        Map<String, Decision.RuleSet> rules = new java.util.HashMap<>();
        for (Decision.RuleSet r : s.rules()) {
            rules.put(r.service(), r);
        }
        Map<String, List<String>> rejected = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : s.rejected().entrySet()) {
            rejected.put(e.getKey(), List.copyOf(e.getValue()));
        }
        Map<String, List<String>> warned = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : s.warned().entrySet()) {
            warned.put(e.getKey(), List.copyOf(e.getValue()));
        }
        ServiceBook book = ServiceBook.of(rules, s.placed(), rejected, warned);
        return new PlannerImage(ObservedImage.fromSnapshot(s.observed()), s.ipam().toImage(),
                s.placement().toImage(), s.mastership().toImage(), book, new Provenance(s.offset(), s.logTime()));
    }
}
