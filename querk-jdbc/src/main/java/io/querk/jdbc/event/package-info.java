/**
 * Everything a run does, as immutable events delivered to a
 * {@link io.querk.jdbc.event.QuerkListener}: for logs, metrics and progress bars.
 */
package io.querk.jdbc.event;
