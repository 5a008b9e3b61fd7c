/** kube-bridge: see DESIGN.md (Modules). */
package io.shardlb.bridge;
