package io.shardlb.events.schema;

/**
 * One endpoint of a Service, aggregated over its EndpointSlices.
 *
 * @param ip       endpoint address (pod address, or node address in node-port mode)
 * @param port     endpoint port
 * @param portName the Service port name this endpoint port serves ("" for a single unnamed port)
 * @param protocol TCP, UDP or SCTP
 * @param ready    whether the endpoint is ready
 * @param node     the node name ("" when unknown)
 */
public record Endpoint(String ip, int port, String portName, String protocol, boolean ready, String node) {
    public Endpoint {
        ip = Values.str(ip);
        portName = Values.str(portName);
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        node = Values.str(node);
    }
}
