package io.querk.internal.step;

import io.querk.migration.Step;

/**
 * What every internal step record provides beyond the public {@link Step} view.
 */
public interface StepDefinition extends Step, CanonicalForm {

    /**
     * @return true if the step removes something the previous application version may
     *         still use, so it belongs in the contract phase only
     */
    boolean destructive();
}
