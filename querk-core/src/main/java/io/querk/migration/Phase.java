package io.querk.migration;

import io.querk.Api;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The three phases of a zero-downtime change, in the order they run.
 *
 * <ul>
 *   <li>{@link #EXPAND}: add what the new application version needs, in a form the old
 *       version does not notice (nullable columns, concurrent indexes, sync triggers).</li>
 *   <li>{@link #BACKFILL}: fill existing rows in small batches.</li>
 *   <li>{@link #CONTRACT}: remove what only the old version used. It runs only once the
 *       old version is gone, so it must be released explicitly.</li>
 * </ul>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum Phase {
    /** Additive, backward-compatible changes. */
    EXPAND,
    /** Batched data changes over existing rows. */
    BACKFILL,
    /** Removal of what the old application version needed; gated. */
    CONTRACT;

    /** @return the lower-case name used in history rows, logs and JSON */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a phase name, case-insensitively.
     *
     * @param name a phase's name or {@link #label()}, e.g. {@code "contract"}
     * @return the phase
     * @throws MigrationDefinitionException naming the valid phases if {@code name} is none of them
     */
    public static Phase of(String name) {
        if (name != null) {
            for (Phase p : values()) {
                if (p.name().equalsIgnoreCase(name.strip())) {
                    return p;
                }
            }
        }
        throw new MigrationDefinitionException("Unknown phase '" + name + "': use one of "
                + Arrays.stream(values()).map(Phase::label).collect(Collectors.joining(", ")) + ".");
    }
}
