package io.shardlb.events.schema;

/**
 * One port of a Service spec.
 *
 * @param name       port name ("" when unnamed)
 * @param port       the service port
 * @param protocol   TCP, UDP or SCTP
 * @param targetPort the target port as written (a number or a named port; "" when absent)
 * @param nodePort   the node port, 0 when none
 */
public record ServicePort(String name, int port, String protocol, String targetPort, int nodePort) {
    public ServicePort {
        name = Values.str(name);
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        targetPort = Values.str(targetPort);
    }
}
