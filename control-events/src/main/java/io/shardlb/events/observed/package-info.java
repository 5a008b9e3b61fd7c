/** The observed-state image: configuration, services, endpoints and agent pods, folded from facts. */
package io.shardlb.events.observed;
