package io.shardlb.planner.core;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.ipam.IpamImage;
import io.shardlb.planner.mastership.MastershipImage;
import io.shardlb.planner.placement.PlacementImage;

import java.util.Objects;

/**
 * The planner's root image (KRaft's {@code MetadataImage}): everything observed, IPAM, placement, mastership and
 * what was last told about each Service, with the provenance of the last fact folded in (its {@code events}
 * offset and log time). Immutable; {@link Planner#step} makes the next one, reusing untouched sub-images by
 * reference. {@link PlannerSnapshot} writes it as bytes and restores an equal image.
 *
 * @param observed   latest configuration, Services, endpoints and agent pods
 * @param ipam       addresses in use, quarantined and pending
 * @param placement  VIP → instance
 * @param mastership instance → agent incarnation, terms, handovers
 * @param book       the rule, placement, rejection and warnings last written per Service
 * @param provenance offset and log time of the last fact
 */
public record PlannerImage(ObservedImage observed, IpamImage ipam, PlacementImage placement,
                           MastershipImage mastership, ServiceBook book, Provenance provenance) {
    /** Nothing folded in. */
    public static final PlannerImage EMPTY = new PlannerImage(ObservedImage.EMPTY, IpamImage.EMPTY,
            PlacementImage.EMPTY, MastershipImage.EMPTY, ServiceBook.EMPTY, Provenance.EMPTY);

    public PlannerImage {
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(ipam, "ipam");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(mastership, "mastership");
        Objects.requireNonNull(book, "book");
        Objects.requireNonNull(provenance, "provenance");
    }

    /** The {@code events} offset of the last fact folded in, -1 for none. */
    public long offset() {
        return provenance.offset();
    }

    @Override
    public String toString() {
        return "PlannerImage{" + provenance + ", " + observed + ", services placed=" + placement.vipOf().size()
                + ", " + mastership + ", " + book + "}";
    }
}
