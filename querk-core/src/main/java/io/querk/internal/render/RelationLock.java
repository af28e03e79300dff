package io.querk.internal.render;

import io.querk.plan.LockMode;

/**
 * A lock an action takes on a relation.
 *
 * @param relation the relation as written in SQL
 * @param mode     the table-level lock mode
 */
public record RelationLock(String relation, LockMode mode) {
}
