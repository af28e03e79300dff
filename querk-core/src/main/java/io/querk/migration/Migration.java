package io.querk.migration;

import io.querk.Api;
import io.querk.internal.migration.ImpliedSteps;
import io.querk.internal.migration.MigrationValidator;
import io.querk.internal.plan.BuildSafetyCheck;
import io.querk.internal.migration.PhaseChecksum;
import io.querk.internal.step.StepDefinition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A schema change in three phases, identified by a stable id that also orders it among the
 * others. Immutable once built.
 *
 * <pre>{@code
 * Migration m = Migration.define("2026-11-23.shipments-dest-city")
 *     .description("Split the destination city out of the address")
 *     .expand(e -> e
 *         .addColumn("shipments", "dest_city", "text", c -> c.derivedFrom("split_part(destination, ',', 1)"))
 *         .createIndex("shipments_dest_city_idx", "shipments", "dest_city"))
 *     .contract(c -> c
 *         .setNotNull("shipments", "dest_city")
 *         .dropColumn("shipments", "destination"))
 *     .build();
 * }</pre>
 *
 * <p>Steps another step implies are added at {@link Builder#build()}: a derived column, a
 * rename or a type change brings its own backfill and its own contract step. They show in
 * {@link #steps(Phase)} with {@link Step#implied()} true.
 *
 * <p>Ids are compared by {@link #ID_ORDER}: runs of ASCII digits by their numeric value, the rest
 * as text, so {@code V2} sorts before {@code V10} and dates sort by date.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Migration {

    /** The longest id accepted. */
    public static final int MAX_ID_LENGTH = 200;

    /** The order migrations run in: digit runs compared by value, other text compared as is. */
    public static final Comparator<String> ID_ORDER = Migration::compareIds;

    private final String id;
    private final String description;
    private final Map<Phase, List<Step>> steps;
    private final Map<Phase, String> checksums;
    private final String sourceFile;
    private final Map<Step, StepSource> sources;

    private Migration(String id, String description, Map<Phase, List<Step>> steps, Map<Phase, String> checksums,
                      String sourceFile, Map<Step, StepSource> sources) {
        this.id = id;
        this.description = description;
        this.steps = steps;
        this.checksums = checksums;
        this.sourceFile = sourceFile;
        this.sources = sources;
    }

    /**
     * A migration read from a SQL file ({@link SqlMigrations}). Its phases' checksums are the
     * file's own (of the statements as written), so that a later Querk that rewrites a statement
     * into another safe form never makes an applied file look edited. The safety check that
     * {@link Builder#build()} makes for Java migrations waits for the plan: files that another tool
     * applied long ago are loaded too, and only the plan of pending work may refuse them.
     */
    static Migration fromSqlFile(String id, String description, Map<Phase, List<StepDefinition>> declared,
                                 Map<Phase, String> checksums, String file, Map<StepDefinition, StepSource> sources) {
        Map<Phase, List<StepDefinition>> all = ImpliedSteps.addTo(declared);
        MigrationValidator.validate(id, declared, all);
        Map<Phase, List<Step>> steps = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            steps.put(p, Collections.unmodifiableList(new ArrayList<Step>(all.get(p))));
        }
        Map<Step, StepSource> bySource = new IdentityHashMap<>(sources);
        return new Migration(id, description, Collections.unmodifiableMap(steps),
                Collections.unmodifiableMap(new EnumMap<>(checksums)), file, Collections.unmodifiableMap(bySource));
    }

    /**
     * Starts the definition of a migration.
     *
     * @param id stable and unique; it orders the migration among the others, so a date or a
     *           version number first is customary ({@code "2026-11-23.shipments-dest-city"})
     * @return a builder for the phases
     * @throws MigrationDefinitionException if the id is blank, too long, or has white space at
     *                                      either end or control characters
     */
    public static Builder define(String id) {
        return new Builder(checkId(id));
    }

    /** @return the id */
    public String id() {
        return id;
    }

    /** @return the description, empty if none was given */
    public String description() {
        return description;
    }

    /**
     * @param phase the phase
     * @return the steps of a phase in the order they run, implied ones included; empty if none
     */
    public List<Step> steps(Phase phase) {
        return steps.get(phase);
    }

    /**
     * @param phase the phase
     * @return the checksum of a phase's definition, which the engine records when the phase is
     *         applied and compares on every run to detect an applied phase that was edited
     */
    public String checksum(Phase phase) {
        return checksums.get(phase);
    }

    /**
     * @return the SQL file this migration was read from, relative to its location
     *         ({@code V21__orders_created_index.sql}); empty for a Java migration
     */
    public Optional<String> sourceFile() {
        return Optional.ofNullable(sourceFile);
    }

    /**
     * @param step one of this migration's steps
     * @return where in its SQL file the step comes from, and whether Querk rewrote it into its safe
     *         form; empty for a Java migration's steps and for implied steps
     */
    public Optional<StepSource> source(Step step) {
        return Optional.ofNullable(sources.get(step));
    }

    @Override
    public String toString() {
        return "Migration[" + id + "]";
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new MigrationDefinitionException("A migration id is blank; give each migration a stable, unique id"
                    + " such as \"2026-11-23.shipments-dest-city\".");
        }
        if (!id.strip().equals(id)) {
            throw new MigrationDefinitionException("Migration id '" + id + "' starts or ends with white space; remove it.");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new MigrationDefinitionException("Migration id '" + id.substring(0, 40) + "...' is " + id.length()
                    + " characters long; keep it to " + MAX_ID_LENGTH + ".");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new MigrationDefinitionException("Migration id '" + id.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character; use printable characters only.");
            }
        }
        return id;
    }

    private static int compareIds(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isAsciiDigit(ca) && isAsciiDigit(cb)) {
                int ei = i;
                while (ei < a.length() && isAsciiDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && isAsciiDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    // Only ASCII digits form numbers: Character.isDigit accepts digits of every script, and mixing
    // those with letters made the order intransitive.
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Collects a migration's phases; {@link #build()} validates the whole and adds implied steps.
     * Each phase method may be called more than once; steps are appended in call order.
     */
    public static final class Builder {

        private final String id;
        private String description = "";
        private final ExpandSteps expand = new ExpandSteps();
        private final List<StepDefinition> backfills = new ArrayList<>();
        private final ContractSteps contract = new ContractSteps();

        private Builder(String id) {
            this.id = id;
        }

        /**
         * A sentence for people reading logs and reports.
         *
         * @param description the sentence; null means none
         * @return this builder
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNullElse(description, "").strip();
            return this;
        }

        /**
         * Adds expand steps.
         *
         * @param steps adds steps to the phase; see {@link ExpandSteps}
         * @return this builder
         */
        public Builder expand(Consumer<ExpandSteps> steps) {
            return within(Phase.EXPAND, () -> steps.accept(expand));
        }

        /**
         * Adds one backfill; call again for another table.
         *
         * @param spec describes the backfill; see {@link BackfillSpec}
         * @return this builder
         */
        public Builder backfill(Consumer<BackfillSpec> spec) {
            return within(Phase.BACKFILL, () -> {
                BackfillSpec b = new BackfillSpec();
                spec.accept(b);
                backfills.add(b.build());
            });
        }

        /**
         * Adds contract steps.
         *
         * @param steps adds steps to the phase; see {@link ContractSteps}
         * @return this builder
         */
        public Builder contract(Consumer<ContractSteps> steps) {
            return within(Phase.CONTRACT, () -> steps.accept(contract));
        }

        private Builder within(Phase phase, Runnable r) {
            try {
                r.run();
            } catch (MigrationDefinitionException e) {
                if (e.migrationId().isPresent()) {
                    throw e;
                }
                throw new MigrationDefinitionException("Migration '" + id + "', " + phase.label() + ": " + e.getMessage(), id);
            }
            return this;
        }

        /**
         * Validates the migration and freezes it.
         *
         * @return the migration
         * @throws MigrationDefinitionException naming the migration, the phase and the step, if
         *                                      it is empty, puts a destructive step in expand, or
         *                                      holds steps that contradict each other; an
         *                                      {@link io.querk.plan.UnsafeMigrationException} if raw
         *                                      SQL carries a hazard that holds on every server and
         *                                      no {@link SafetyOverride} accepts it
         */
        public Migration build() {
            Map<Phase, List<StepDefinition>> declared = new EnumMap<>(Phase.class);
            declared.put(Phase.EXPAND, List.copyOf(expand.steps));
            declared.put(Phase.BACKFILL, List.copyOf(backfills));
            declared.put(Phase.CONTRACT, List.copyOf(contract.steps));

            Map<Phase, List<StepDefinition>> all = ImpliedSteps.addTo(declared);
            MigrationValidator.validate(id, declared, all);
            BuildSafetyCheck.check(id, all);

            Map<Phase, List<Step>> steps = new EnumMap<>(Phase.class);
            Map<Phase, String> checksums = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                steps.put(p, Collections.unmodifiableList(new ArrayList<Step>(all.get(p))));
                checksums.put(p, PhaseChecksum.of(declared.get(p)));
            }
            return new Migration(id, description, Collections.unmodifiableMap(steps), Collections.unmodifiableMap(checksums),
                    null, Map.of());
        }
    }
}
