/** The EventLog SPI: writers (plain and fenced), readers, positions. */
package io.shardlb.events.log;
