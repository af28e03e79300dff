/**
 * The engine: {@link io.querk.jdbc.Querk}, configured by the value
 * {@link io.querk.jdbc.QuerkConfig}, runs migrations under the lock guard and reports what it
 * did; its failures are {@link io.querk.jdbc.StepException}s and their siblings.
 */
package io.querk.jdbc;
