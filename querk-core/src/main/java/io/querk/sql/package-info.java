/**
 * SQL names as PostgreSQL resolves them: {@link io.querk.sql.Identifier} and
 * {@link io.querk.sql.QualifiedName}, quoted exactly when needed.
 */
package io.querk.sql;
