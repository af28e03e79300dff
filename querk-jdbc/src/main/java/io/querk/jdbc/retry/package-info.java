/**
 * What the engine does when a statement cannot get its lock in time:
 * {@link io.querk.jdbc.retry.RetryPolicy}.
 */
package io.querk.jdbc.retry;
