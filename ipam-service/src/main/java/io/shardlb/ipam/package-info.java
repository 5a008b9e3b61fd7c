/**
 * ipam-service: event-sourced VIP allocation with kube-loxilb's pool syntax.
 *
 * <ul>
 *   <li>{@link io.shardlb.ipam.PoolConfig} parses and validates {@code --cidrPools} / {@code --cidr6Pools};</li>
 *   <li>{@link io.shardlb.ipam.IpamImage} is the immutable state (with its read API),
 *       {@link io.shardlb.ipam.IpamDelta} the only way it changes (replaying records);</li>
 *   <li>{@link io.shardlb.ipam.IpamManager} generates records from requests
 *       ({@link io.shardlb.ipam.AllocationRequest} → {@link io.shardlb.ipam.Allocation});</li>
 *   <li>{@link io.shardlb.ipam.IpamSnapshot} writes and restores images.</li>
 * </ul>
 * See the module's README.md for pool syntax and semantics.
 */
package io.shardlb.ipam;
