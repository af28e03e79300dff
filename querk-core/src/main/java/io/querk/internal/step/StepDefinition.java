package io.querk.internal.step;

import io.querk.migration.Step;
import io.querk.sql.QualifiedName;

import java.util.Optional;

/**
 * What every internal step record provides beyond the public {@link Step} view.
 */
public interface StepDefinition extends Step, CanonicalForm {

    /** @return the table the step changes, or null for steps that name none (raw SQL, drop index) */
    QualifiedName target();

    @Override
    default Optional<QualifiedName> table() {
        return Optional.ofNullable(target());
    }

    /**
     * @return true if the step removes something the previous application version may
     *         still use, so it belongs in the contract phase only
     */
    default boolean destructive() {
        return false;
    }
}
