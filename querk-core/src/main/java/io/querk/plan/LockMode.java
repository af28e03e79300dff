package io.querk.plan;

import io.querk.Api;
import java.util.Locale;

/**
 * PostgreSQL's table-level lock modes, weakest first, with the conflict table of the
 * PostgreSQL documentation ("Explicit Locking", table-level lock modes).
 *
 * <p>What matters to an application: plain reads take {@link #ACCESS_SHARE}, so only
 * {@link #ACCESS_EXCLUSIVE} blocks them; writes take {@link #ROW_EXCLUSIVE}, so
 * {@link #SHARE} and everything stronger block them. A request merely <em>waiting</em> for a
 * strong lock already blocks every later conflicting request behind it.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum LockMode {
    /** SELECT. */
    ACCESS_SHARE("AccessShareLock"),
    /** SELECT FOR UPDATE / FOR SHARE. */
    ROW_SHARE("RowShareLock"),
    /** INSERT, UPDATE, DELETE. */
    ROW_EXCLUSIVE("RowExclusiveLock"),
    /** VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT. */
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    /** CREATE INDEX (without CONCURRENTLY). */
    SHARE("ShareLock"),
    /** CREATE TRIGGER, ADD FOREIGN KEY. */
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    /** REFRESH MATERIALIZED VIEW CONCURRENTLY. */
    EXCLUSIVE("ExclusiveLock"),
    /** Most ALTER TABLE forms, DROP, TRUNCATE, VACUUM FULL. */
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    // Bit i of CONFLICTS[m] is set when mode m conflicts with mode i (ordinal order above).
    private static final int[] CONFLICTS = {
            0b10000000, // ACCESS_SHARE
            0b11000000, // ROW_SHARE
            0b11110000, // ROW_EXCLUSIVE
            0b11111000, // SHARE_UPDATE_EXCLUSIVE
            0b11101100, // SHARE
            0b11111100, // SHARE_ROW_EXCLUSIVE
            0b11111110, // EXCLUSIVE
            0b11111111, // ACCESS_EXCLUSIVE
    };

    private final String pgName;

    LockMode(String pgName) {
        this.pgName = pgName;
    }

    /** @return the name {@code pg_locks.mode} uses, e.g. {@code AccessExclusiveLock} */
    public String pgName() {
        return pgName;
    }

    /** @return the name as SQL writes it, e.g. {@code ACCESS EXCLUSIVE} */
    public String sqlName() {
        return name().replace('_', ' ');
    }

    /**
     * @param other another mode on the same table
     * @return true if holding or waiting for this mode conflicts with {@code other}
     */
    public boolean conflictsWith(LockMode other) {
        return (CONFLICTS[ordinal()] & (1 << other.ordinal())) != 0;
    }

    /** @return true if this mode blocks plain SELECTs */
    public boolean blocksReads() {
        return conflictsWith(ACCESS_SHARE);
    }

    /** @return true if this mode blocks INSERT, UPDATE and DELETE */
    public boolean blocksWrites() {
        return conflictsWith(ROW_EXCLUSIVE);
    }

    /**
     * Reads a {@code pg_locks.mode} name ({@code RowExclusiveLock}) or an SQL name
     * ({@code ROW EXCLUSIVE}).
     *
     * @param name the name, in either form
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static LockMode of(String name) {
        for (LockMode m : values()) {
            if (m.pgName.equals(name) || m.sqlName().equalsIgnoreCase(name.strip())
                    || m.name().equals(name.strip().toUpperCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("Not a table lock mode: " + name);
    }
}
