package io.querk.migration;

import io.querk.Api;
import io.querk.sql.QualifiedName;

import java.util.Optional;

/**
 * One step of a migration phase, such as "create index shipments_dest_city_idx". Steps are
 * immutable and made by the phase builders ({@link ExpandSteps}, {@link ContractSteps},
 * {@link BackfillSpec}); each renders to its safe SQL by itself.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface Step {

    /** @return what kind of step this is */
    StepKind kind();

    /** @return a one-line description a person reads in a log, e.g. "add column shipments.dest_city text" */
    String description();

    /** @return the table the step changes, if it changes one */
    Optional<QualifiedName> table();

    /**
     * @return true if Querk added this step on the user's behalf because another step implies
     *         it (the backfill and the contract of a renamed column, say)
     */
    default boolean implied() {
        return false;
    }
}
