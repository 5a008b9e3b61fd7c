package io.shardlb.planner.replay;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.mastership.InstanceState;
import io.shardlb.planner.mastership.MastershipImage;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code replay --at TIME}: the HA table and the Service table as they stood at a log time, from the planner's
 * image after every fact logged at or before that time.
 *
 * @param image the planner's image at that time
 * @param ha    one row per current instance
 * @param services one row per Service with a rule
 */
public record StateAt(PlannerImage image, List<HaRow> ha, List<ServiceRow> services) {

    /** An instance: its master ("none"), ordered backups, term, and a pending handover ("" when none). */
    public record HaRow(String instance, String master, List<String> backups, long term, String pending) {
    }

    /** A Service with its VIP, instance and the master of that instance ("none"). */
    public record ServiceRow(String service, String vip, String instance, String master) {
    }

    /** The state after every fact of {@code events} (offset order) logged at or before {@code logTime}. */
    public static StateAt at(List<LogEntry> events, long logTime) {
        PlannerImage image = PlannerImage.EMPTY;
        for (LogEntry f : events) {
            if (f.logTime() > logTime) {
                break;
            }
            image = Planner.step(image, f).next();
        }
        return of(image);
    }

    /** The tables of {@code image}. */
    public static StateAt of(PlannerImage image) {
        MastershipImage m = image.mastership();
        List<HaRow> ha = new ArrayList<>();
        for (int i = 0; i < m.names().count(); i++) {
            InstanceState s = m.instance(i);
            ha.add(new HaRow(m.names().name(i), name(s.master()), s.backups(), s.term(),
                    s.pending() == null ? "" : "to " + s.pending().to()
                            + (s.pending().acknowledged() ? " (released)" : "")));
        }
        List<ServiceRow> services = new ArrayList<>();
        for (Decision.RuleSet r : image.book().rules().values()) {
            OptionalInt idx = m.names().anyIndexOf(r.instance());
            String master = idx.isPresent() ? name(m.instance(idx.getAsInt()).master()) : "none";
            services.add(new ServiceRow(r.service(), r.vip(), r.instance(), master));
        }
        return new StateAt(image, List.copyOf(ha), List.copyOf(services));
    }

    private static String name(AgentRef ref) {
        return ref == null ? "none" : ref.toString();
    }

    /** Both tables as aligned text, for the terminal. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-16s %-20s %-30s %6s %s%n", "INSTANCE", "MASTER", "BACKUPS", "TERM", "PENDING"));
        for (HaRow r : ha) {
            sb.append(String.format("%-16s %-20s %-30s %6d %s%n", r.instance(), r.master(),
                    String.join(",", r.backups()), r.term(), r.pending()));
        }
        sb.append(String.format("%n%-40s %-40s %-16s %s%n", "SERVICE", "VIP", "INSTANCE", "MASTER"));
        for (ServiceRow r : services) {
            sb.append(String.format("%-40s %-40s %-16s %s%n", r.service(), r.vip(), r.instance(), r.master()));
        }
        return sb.toString();
    }
}
