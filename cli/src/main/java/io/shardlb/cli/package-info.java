/** cli: see DESIGN.md (Modules). */
package io.shardlb.cli;
