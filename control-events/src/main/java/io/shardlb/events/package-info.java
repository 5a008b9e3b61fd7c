/** Entry point for opening a log by URI ({@link io.shardlb.events.EventLogs}). */
package io.shardlb.events;
