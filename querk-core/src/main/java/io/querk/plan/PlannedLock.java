package io.querk.plan;

import io.querk.Api;

/**
 * A table-level lock a statement takes.
 *
 * @param relation the relation, as SQL names it
 * @param mode     the lock mode
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlannedLock(String relation, LockMode mode) {

    /** @return what the lock blocks while held or awaited: "reads and writes", "writes", or "other DDL and vacuum" */
    public String blocks() {
        if (mode.blocksReads()) {
            return "reads and writes";
        }
        if (mode.blocksWrites()) {
            return "writes";
        }
        if (mode == LockMode.ROW_SHARE || mode == LockMode.ROW_EXCLUSIVE || mode == LockMode.ACCESS_SHARE) {
            return "only strong locks";
        }
        return "other DDL and vacuum";
    }
}
