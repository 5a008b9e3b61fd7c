package io.shardlb.events.schema;

import java.util.List;

/**
 * Decisions: what the planner decided, written to the {@code plan} topic in transactional batches. Each
 * record's envelope carries {@code basedOn}, the last {@code events} offset the batch answers.
 */
public sealed interface Decision extends Payload {

    /**
     * An address was allocated to a Service; {@code pool} is "" for a static address outside every pool.
     * {@code ports} ({@code "80/TCP"}) are the port/protocol pairs the Service holds on it, so replay can check that
     * Services sharing a VIP never overlap; a record written without them (empty) holds the whole address. A
     * second record for the same Service and address replaces its ports (a port change that still fits).
     */
    record VipAllocated(String service, String ip, String pool, List<String> ports) implements Decision {
        public VipAllocated {
            service = Values.str(service);
            ip = Values.str(ip);
            pool = Values.str(pool);
            ports = Values.list(ports);
        }

        /** An allocation holding the whole address (no ports recorded). */
        public VipAllocated(String service, String ip, String pool) {
            this(service, ip, pool, List.of());
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "vip " + ip + (pool.isEmpty() ? " (static, outside pools)" : " from " + pool)
                    + (ports.isEmpty() ? "" : " ports " + ports);
        }
    }

    /** The Service's address was released (quarantined before it can be handed out again). */
    record VipReleased(String service, String ip) implements Decision {
        public VipReleased {
            service = Values.str(service);
            ip = Values.str(ip);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "released " + ip;
        }
    }

    /** No address could be allocated (pool exhausted, conflict); the Service waits and is retried. */
    record AllocationRejected(String service, String reason) implements Decision {
        public AllocationRejected {
            service = Values.str(service);
            reason = Values.str(reason);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "allocation rejected: " + reason;
        }
    }

    /** An allocation kept although it no longer fits the configuration (pools changed at a restart). */
    record AllocationKept(String service, String ip, String reason) implements Decision {
        public AllocationKept {
            service = Values.str(service);
            ip = Values.str(ip);
            reason = Values.str(reason);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "kept " + ip + ": " + reason;
        }
    }

    /** The Service's settings are invalid; each reason names the annotation or field and the bad value. */
    record ServiceRejected(String service, List<String> reasons) implements Decision {
        public ServiceRejected {
            service = Values.str(service);
            reasons = Values.list(reasons);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "rejected: " + String.join("; ", reasons);
        }
    }

    /** Accepted, but the user should know something (for instance an output annotation they set). */
    record ServiceWarned(String service, List<String> warnings) implements Decision {
        public ServiceWarned {
            service = Values.str(service);
            warnings = Values.list(warnings);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "warning: " + String.join("; ", warnings);
        }
    }

    /** The Service (its VIP) sits on {@code instance}. */
    record ServicePlaced(String service, String instance) implements Decision {
        public ServicePlaced {
            service = Values.str(service);
            instance = Values.str(instance);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "placed on " + instance;
        }
    }

    /**
     * A new term for an instance: {@code master} (null when no agent is Up) and the ordered backups.
     *
     * @param cause a human explanation ("agent-a Down, no beat since 10:42:00.510"), not used by replay
     */
    record InstanceMastered(String instance, AgentRef master, long term, List<String> backups, String cause)
            implements Decision {
        public InstanceMastered {
            instance = Values.str(instance);
            backups = Values.list(backups);
            cause = Values.str(cause);
        }

        @Override
        public String subject() {
            return instance;
        }

        @Override
        public String summary() {
            return "term " + term + " master " + (master == null ? "none" : master) + " backups " + backups
                    + (cause.isEmpty() ? "" : ": " + cause);
        }
    }

    /** A planned move: {@code from} must release (VipUnbound) before {@code to} is named master. */
    record InstanceHandover(String instance, AgentRef from, AgentRef to, long term) implements Decision {
        public InstanceHandover {
            instance = Values.str(instance);
        }

        @Override
        public String subject() {
            return instance;
        }

        @Override
        public String summary() {
            return "handover term " + term + " " + from + " -> " + to;
        }
    }

    /** The full desired rule of a Service (idempotent). */
    record RuleSet(String service, String vip, List<RulePort> ports, String mode, String select,
                   int timeoutSeconds, List<String> sourceRanges, List<RuleEndpoint> endpoints, String instance)
            implements Decision {
        public RuleSet {
            service = Values.str(service);
            vip = Values.str(vip);
            ports = Values.list(ports);
            mode = Values.str(mode);
            select = Values.str(select);
            sourceRanges = Values.list(sourceRanges);
            endpoints = Values.list(endpoints);
            instance = Values.str(instance);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "rule " + vip + " " + ports + " mode=" + mode + " select=" + select + " endpoints="
                    + endpoints.size() + " on " + instance;
        }
    }

    /** The Service's rule is gone. */
    record RuleRemoved(String service) implements Decision {
        public RuleRemoved {
            service = Values.str(service);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "rule removed";
        }
    }
}
