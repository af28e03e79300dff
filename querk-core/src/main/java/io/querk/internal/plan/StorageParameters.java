package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;

import java.util.List;
import java.util.Set;

/**
 * The lock {@code ALTER TABLE ... SET (...)} / {@code RESET (...)} takes, which depends on the
 * parameters: PostgreSQL's reloptions table gives fillfactor, the autovacuum and TOAST
 * parameters, parallel_workers and the vacuum parameters SHARE UPDATE EXCLUSIVE (they only
 * steer later writes and maintenance); anything else, or anything unknown, ACCESS EXCLUSIVE.
 */
final class StorageParameters {

    private StorageParameters() {
    }

    private static final Set<String> SHARE_UPDATE_EXCLUSIVE_PARAMETERS = Set.of("fillfactor", "toast_tuple_target",
            "parallel_workers", "vacuum_index_cleanup", "vacuum_truncate", "log_autovacuum_min_duration",
            "vacuum_max_eager_freeze_failure_rate");

    /** @param options the tokens inside the brackets: {@code fillfactor = 90, toast.autovacuum_enabled = off} */
    static LockMode lockFor(List<Token> options) {
        boolean any = false;
        for (Cursor part : new Cursor(options).splitAtTopLevelCommas()) {
            SqlName name = part.name();
            if (name == null) {
                continue;
            }
            any = true;
            String n = name.normalized();
            boolean weak = SHARE_UPDATE_EXCLUSIVE_PARAMETERS.contains(n) || n.startsWith("autovacuum_")
                    || n.startsWith("toast.");
            if (!weak) {
                return LockMode.ACCESS_EXCLUSIVE;
            }
        }
        return any ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE;
    }
}
