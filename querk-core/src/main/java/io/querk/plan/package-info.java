/**
 * The safety planner: {@link io.querk.plan.Planner} says, for a server version, what each step
 * will lock, scan or rewrite, what it adds to every write and how to verify it, and refuses
 * unsafe raw SQL unless overridden with a reason.
 */
package io.querk.plan;
