/** ipam-service: see DESIGN.md (Modules). */
package io.shardlb.ipam;
