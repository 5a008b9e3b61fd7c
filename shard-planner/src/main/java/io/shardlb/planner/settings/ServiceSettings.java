package io.shardlb.planner.settings;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.planner.instance.InstanceNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a {@code ServiceObserved} into a {@link ServiceSpec} or the precise list of what is wrong with it. Pure,
 * and total: it never throws on user input (a property test feeds it random strings), every error names the
 * annotation or field and the bad value.
 * <p>
 * Annotation names and accepted values follow kube-loxilb (pkg/agent/manager/loadbalancer/loadbalancer.go,
 * read at commit 3d62e040): {@code loxilb.io/lbmode} default|onearm|fullnat|dsr (kube-loxilb also has
 * hostonearm, fullproxy), {@code loxilb.io/epselect} hash|persist|lc|rr|roundrobin (and n2, n2det, n3),
 * {@code loxilb.io/ipam} ipv4|ip|ip4|ipv6|ip6|nat66|ipv6to4|nat64, {@code loxilb.io/timeout} an integer number
 * of seconds (default 30*60), {@code loxilb.io/staticIP} checked with {@code net.ParseIP},
 * {@code loxilb.io/poolSelect} a pool name ("pool not found" otherwise), {@code loxilb.io/zoneinstance} an
 * instance name ("zone-instance not found" otherwise). Where kube-loxilb silently falls back on an unknown
 * value (lbmode, epselect, ipam, timeout) shardlb rejects the Service and says why.
 */
public final class ServiceSettings {
    /** kube-loxilb's idle timeout when none is annotated: 30 minutes. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 30 * 60;

    private ServiceSettings() {
    }

    /** Parses {@code svc} under the configuration {@code config} (defaults, pools, instance names). */
    public static SettingsResult parse(Fact.ServiceObserved svc, Fact.ConfigObserved config) {
        AnnotationReader in = new AnnotationReader(svc.annotations());
        List<SettingError> errors = in.errors();
        LbMode mode = mode(in, config, errors);
        EndpointSelect select = select(in, config, errors);
        int timeout = timeout(in);
        Addressing addressing = Addressing.parse(svc, in, errors);
        String pool = pool(in, addressing.family(), config, errors);
        InstanceNames names = InstanceNames.of(config);
        Optional<AnnotationReader.Value> pinValue = in.get(Annotations.ZONE_INSTANCE);
        int pinIndex = ServiceSpec.UNPINNED;
        if (pinValue.isPresent()) {
            OptionalInt index = names.indexOf(pinValue.get().value());
            if (index.isEmpty()) {
                errors.add(pinValue.get().error("unknown instance; valid names: " + String.join(", ", names.all())
                        + " (" + InstanceNames.DEFAULT_ZONE + "-inst0 is accepted for " + names.zeroName() + ")"));
            } else {
                pinIndex = index.getAsInt();
            }
        }
        SpecFields spec = SpecFields.parse(svc, errors);
        List<String> warnings = warnings(svc);
        if (!errors.isEmpty()) {
            return new SettingsResult.Rejected(svc.service(), errors, warnings);
        }
        String pin = pinIndex == ServiceSpec.UNPINNED ? "" : names.name(pinIndex);
        return new SettingsResult.Accepted(new ServiceSpec(svc.service(), svc.uid(), mode, select, timeout,
                addressing.family(), pool, addressing.requestedIp(), pin, pinIndex, svc.ports(), spec.sourceRanges(),
                svc.ipFamilies(), svc.ipFamilyPolicy(), svc.externalTrafficPolicy()), warnings);
    }

    /**
     * The instance a Service's annotations pin it to, as written, "" when none (or when the key and its alias
     * disagree, which {@link #parse} rejects). Used by placement, which resolves it against the current names.
     */
    public static String pinText(Map<String, String> annotations) {
        AnnotationReader in = new AnnotationReader(annotations);
        return in.get(Annotations.ZONE_INSTANCE).map(AnnotationReader.Value::value).orElse("");
    }

    private static LbMode mode(AnnotationReader in, Fact.ConfigObserved config, List<SettingError> errors) {
        Optional<AnnotationReader.Value> v = in.get(Annotations.LB_MODE);
        if (v.isPresent()) {
            Optional<LbMode> mode = LbMode.parse(v.get().value());
            if (mode.isEmpty()) {
                errors.add(v.get().error("unknown LB mode; accepted: " + LbMode.accepted()));
            }
            return mode.orElse(LbMode.DEFAULT);
        }
        if (config.defaultLbMode().isEmpty()) {
            return LbMode.DEFAULT;
        }
        Optional<LbMode> configured = LbMode.parse(config.defaultLbMode());
        if (configured.isEmpty()) {
            errors.add(new SettingError("config defaultLbMode", config.defaultLbMode(),
                    "unknown LB mode; accepted: " + LbMode.accepted()));
        }
        return configured.orElse(LbMode.DEFAULT);
    }

    private static EndpointSelect select(AnnotationReader in, Fact.ConfigObserved config,
                                         List<SettingError> errors) {
        Optional<AnnotationReader.Value> v = in.get(Annotations.EP_SELECT);
        if (v.isPresent()) {
            Optional<EndpointSelect> select = EndpointSelect.parse(v.get().value());
            if (select.isEmpty()) {
                errors.add(v.get().error("unknown endpoint selection; accepted: " + EndpointSelect.accepted()));
            }
            return select.orElse(EndpointSelect.HASH);
        }
        if (config.defaultSelect().isEmpty()) {
            return EndpointSelect.HASH;
        }
        Optional<EndpointSelect> configured = EndpointSelect.parse(config.defaultSelect());
        if (configured.isEmpty()) {
            errors.add(new SettingError("config defaultSelect", config.defaultSelect(),
                    "unknown endpoint selection; accepted: " + EndpointSelect.accepted()));
        }
        return configured.orElse(EndpointSelect.HASH);
    }

    private static int timeout(AnnotationReader in) {
        Optional<AnnotationReader.Value> v = in.get(Annotations.TIMEOUT);
        if (v.isEmpty()) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        String text = v.get().value();
        boolean digits = !text.isEmpty() && text.length() <= 10 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        long seconds = digits ? Long.parseLong(text) : -1;
        if (seconds < 1 || seconds > Integer.MAX_VALUE) {
            in.errors().add(v.get().error("timeout must be a whole number of seconds from 1 to "
                    + Integer.MAX_VALUE));
            return DEFAULT_TIMEOUT_SECONDS;
        }
        return (int) seconds;
    }

    private static String pool(AnnotationReader in, AddressFamily family, Fact.ConfigObserved config,
                               List<SettingError> errors) {
        Optional<AnnotationReader.Value> v = in.get(Annotations.POOL);
        if (v.isEmpty()) {
            return "";
        }
        List<Pool> pools = family.v6Vip() ? config.cidr6Pools() : config.pools();
        String name = v.get().value();
        if (pools.stream().noneMatch(p -> p.name().equals(name))) {
            List<String> valid = pools.stream().map(Pool::name).toList();
            errors.add(v.get().error("pool not found among the " + (family.v6Vip() ? "IPv6" : "IPv4")
                    + " pools" + (valid.isEmpty() ? " (none configured)" : ": " + String.join(", ", valid))));
        }
        return name;
    }

    private static List<String> warnings(Fact.ServiceObserved svc) {
        List<String> warnings = new ArrayList<>();
        for (String key : svc.ignoredAnnotations()) {
            warnings.add("annotation " + key + " is written by shardlb and never read; the value set on the"
                    + " Service is ignored (remove it)");
        }
        for (String key : svc.annotations().keySet()) {
            if (!AnnotationReader.isKnown(key) && !key.startsWith(Annotations.OUTPUT_PREFIX)) {
                warnings.add("annotation " + key + " is not supported by shardlb and is ignored");
            }
        }
        return warnings;
    }
}
