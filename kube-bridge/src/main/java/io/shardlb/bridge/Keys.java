package io.shardlb.bridge;

import java.util.List;

/**
 * The names shardlb reads and writes on Kubernetes objects, in one place so the model, the translator, the
 * README and the chart agree. Inputs are kube-loxilb's names and their {@code shardlb.io/} aliases; outputs live
 * under {@code status.shardlb.io/} and are never read back as input.
 */
public final class Keys {
    private Keys() {
    }

    /** kube-loxilb's class, accepted so its users switch without editing manifests. */
    public static final String CLASS_LOXILB = "loxilb.io/loxilb";
    /** shardlb's own class. */
    public static final String CLASS_SHARDLB = "shardlb.io/shardlb";
    /** Both classes we serve. */
    public static final List<String> CLASSES = List.of(CLASS_LOXILB, CLASS_SHARDLB);

    /** Input annotation prefixes (kube-loxilb's and ours). */
    public static final List<String> INPUT_PREFIXES = List.of("loxilb.io/", "shardlb.io/");
    /** Output annotation prefix: written by shardlb, never read back. */
    public static final String OUTPUT_PREFIX = "status.shardlb.io/";

    /** Output annotation: the instance the Service sits on. */
    public static final String ANN_INSTANCE = OUTPUT_PREFIX + "instance";
    /** Output annotation: the agent that masters that instance. */
    public static final String ANN_MASTER = OUTPUT_PREFIX + "master";
    /** Output annotation: the Service's VIP(s), comma-separated. */
    public static final String ANN_VIP = OUTPUT_PREFIX + "vip";
    /** Every output annotation, so a stale one is removed. */
    public static final List<String> OUTPUT_ANNOTATIONS = List.of(ANN_INSTANCE, ANN_MASTER, ANN_VIP);

    /**
     * Input annotation choosing the endpoints: {@code pod} (default: ready pod addresses and target ports) or
     * {@code nodeport} (node addresses of the nodes running ready endpoints, with the Service's nodePorts).
     */
    public static final String ANN_ENDPOINTS = "shardlb.io/endpoints";
    /** Value of {@link #ANN_ENDPOINTS} asking for node address + nodePort. */
    public static final String ENDPOINTS_NODEPORT = "nodeport";

    /** Finalizer on every Service we serve: its VIP is released in the plan before the object goes. */
    public static final String FINALIZER = "shardlb.io/vip";
    /** The condition type we own in {@code status.conditions}. */
    public static final String CONDITION_READY = "shardlb.io/Ready";

    /** The EndpointSlice label naming its Service. */
    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
    /** Label on every Event we write, so they can be listed (the mock ignores involvedObject selectors). */
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Value of {@link #LABEL_MANAGED_BY}. */
    public static final String MANAGER = "shardlb";
    /** Annotation on our Events: the highest plan sequence already counted in that Event. */
    public static final String ANN_EVENT_SEQ = "shardlb.io/last-seq";
}
