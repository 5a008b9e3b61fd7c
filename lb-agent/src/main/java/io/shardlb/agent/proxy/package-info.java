/** {@link io.shardlb.agent.proxy.ProxyForwarder}: the NIO L4 proxy for loopback VIPs (local runs only). */
package io.shardlb.agent.proxy;
