/**
 * kube-bridge: Kubernetes in and out. {@code in}: informers to facts; {@code out}: plan decisions to Service
 * status, annotations, finalizer and Events; {@code leader}: the controller's Lease. See the module README.
 */
package io.shardlb.bridge;
