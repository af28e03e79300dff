package io.querk.review.internal;

import io.querk.migration.Migration;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedStep;
import io.querk.plan.Planner;
import io.querk.migration.StepKind;
import io.querk.review.CostBasis;
import io.querk.review.Execution;
import io.querk.review.Finding;
import io.querk.review.FindingKind;
import io.querk.review.HypotheticalIndexes;
import io.querk.review.IndexKey;
import io.querk.review.IndexProposal;
import io.querk.review.ParameterSource;
import io.querk.review.PlanSummary;
import io.querk.review.ProposedIndex;
import io.querk.review.QueryReview;
import io.querk.review.QueryReviewException;
import io.querk.review.QueryReviewReport;
import io.querk.review.ReviewedParameter;
import io.querk.review.Rewrite;
import io.querk.review.Verification;
import io.querk.review.WriteImpact;
import io.querk.review.internal.analysis.Findings;
import io.querk.review.internal.analysis.ParameterSampler;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.db.CatalogReader;
import io.querk.review.internal.db.Explainer;
import io.querk.review.internal.db.HypoOracle;
import io.querk.review.internal.db.Literals;
import io.querk.review.internal.db.Session;
import io.querk.review.internal.index.Candidate;
import io.querk.review.internal.index.CandidateGenerator;
import io.querk.review.internal.index.EstimateOracle;
import io.querk.review.internal.index.IndexSize;
import io.querk.review.internal.index.Ranker;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.plan.PlanReader;
import io.querk.review.internal.render.PlanText;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;
import io.querk.review.internal.sql.Rewrites;
import io.querk.review.internal.sql.SqlText;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs a {@link QueryReview}: plans, reads the catalog, finds, proposes, proves, and reports. */
public final class Reviewer {

    /** At most this many index proposals are reported. */
    static final int MAX_PROPOSALS = 5;

    private static final Set<String> QUERIES = Set.of("select", "with", "values", "table");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "merge");

    private final QueryReview review;
    private final SqlText text;
    private final Session s;
    private final CatalogReader catalog;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Optional<TableInfo>> tableCache = new HashMap<>();

    private Reviewer(QueryReview review, SqlText text, Session s) {
        this.review = review;
        this.text = text;
        this.s = s;
        this.catalog = new CatalogReader(s);
    }

    /**
     * @param review the review
     * @param ds     the database
     * @return the report
     */
    public static QueryReviewReport review(QueryReview review, DataSource ds) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        SqlText text = SqlText.of(review.sql());
        String first = text.firstWord();
        if (!QUERIES.contains(first) && !WRITES.contains(first)) {
            throw new QueryReviewException("Only a query (SELECT, WITH, VALUES, TABLE) or an INSERT, UPDATE, DELETE or"
                    + " MERGE can be reviewed; this statement starts with " + (first.isEmpty() ? "something else"
                    : first.toUpperCase(Locale.ROOT)) + ". For a schema change, plan it with Querk's planner instead"
                    + " (Planner.forServer(n).plan(migration)).");
        }
        try (Connection c = ds.getConnection()) {
            try (Session s = new Session(c, review.statementTimeout())) {
                return new Reviewer(review, text, s).run(at, t0);
            }
        } catch (SQLException e) {
            String waited = waited(e, review);
            throw new QueryReviewException(waited != null ? waited : "The review could not read the database: "
                    + Session.serverMessage(e) + ". Check that the DataSource reaches the database and its user may"
                    + " read the catalog.", review.sql(), e);
        } catch (QueryReviewException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QueryReviewException("The review failed unexpectedly: " + e + ". This is a bug in Querk; please"
                    + " report it with the query and the server's version.", review.sql(), e);
        }
    }

    private QueryReviewReport run(Instant at, long t0) throws SQLException {
        String serverVersion = ((String) s.rows("SELECT current_setting('server_version')").get(0)[0]).split(" ")[0];
        int major = ((Number) s.rows("SELECT current_setting('server_version_num')::int / 10000").get(0)[0]).intValue();
        Optional<String> hypopg = hypoPg();

        // Parse and analyze: errors here are the user's query, reported with the server's position.
        Explainer probe = new Explainer(s, review.sql(), List.of(), true);
        try {
            probe.prepare();
        } catch (SQLException e) {
            throw translate(e, probe.prefixLength());
        }
        List<String> types = probe.parameterTypes();
        List<String> given = review.parameters().map(Literals::texts).orElse(null);
        if (given != null && given.size() != types.size()) {
            throw new QueryReviewException("The query has " + types.size() + " parameter" + (types.size() == 1 ? "" : "s")
                    + (types.isEmpty() ? "" : " ($1" + (types.size() > 1 ? " to $" + types.size() : "") + ")") + " but "
                    + given.size() + " value" + (given.size() == 1 ? " was" : "s were") + " given. Pass one value per"
                    + " parameter, or none to have typical values sampled from pg_stats.", review.sql(), null);
        }

        List<ReviewedParameter> params = new ArrayList<>();
        List<String> values = new ArrayList<>();
        boolean generic = false;
        QueryShape genericShape = null;
        if (!types.isEmpty()) {
            List<String> nulls = new ArrayList<>(Collections.nCopies(types.size(), (String) null));
            PlanReader.Explained g = new Explainer(s, review.sql(), nulls, true).explain(true);
            genericShape = QueryShape.of(g.root());
            if (given != null) {
                for (int i = 0; i < types.size(); i++) {
                    values.add(given.get(i));
                    params.add(new ReviewedParameter(i + 1, types.get(i), given.get(i), ParameterSource.GIVEN, null));
                }
            } else {
                Map<Integer, ParameterSampler.Sample> samples = ParameterSampler.sample(genericShape,
                        tables(genericShape), types);
                generic = samples.values().stream().anyMatch(x -> x.value() == null);
                for (int i = 0; i < types.size(); i++) {
                    ParameterSampler.Sample x = samples.get(i + 1);
                    values.add(generic ? null : x.value());
                    params.add(generic ? new ReviewedParameter(i + 1, types.get(i), null, ParameterSource.GENERIC, null)
                            : new ReviewedParameter(i + 1, types.get(i), x.value(), ParameterSource.SAMPLED, x.column()));
                }
                if (generic) {
                    List<Integer> missing = new ArrayList<>();
                    samples.forEach((n, x) -> {
                        if (x.value() == null) {
                            missing.add(n);
                        }
                    });
                    notes.add("No typical value could be sampled for " + dollars(missing) + " (no column with statistics"
                            + " is compared with it), so the review planned the generic plan, as a prepared statement"
                            + " does before it knows its values. Pass parameters(...) for a plan with values.");
                } else {
                    notes.add("Parameters were planned with typical values sampled from pg_stats (listed above);"
                            + " pass parameters(...) for the values your application sends.");
                }
            }
        }

        Explainer explainer = new Explainer(s, review.sql(), generic ? Collections.nCopies(types.size(), null) : values, generic);
        PlanReader.Explained baseline = explainer.explain(true);
        String baselineJson = explainer.lastJson();
        PlanNode root = baseline.root();
        QueryShape shape = QueryShape.of(root);
        Map<String, TableInfo> tables = tables(shape);
        boolean writes = shape.writes() || WRITES.contains(text.firstWord());

        Optional<Execution> execution = Optional.empty();
        if (review.analyze()) {
            if (writes) {
                notes.add("ANALYZE was asked for, but the statement writes or locks rows: it was planned with EXPLAIN"
                        + " only, never run.");
            } else {
                try {
                    PlanReader.Explained ex = s.inSavepoint(explainer::analyze);
                    PlanNode r = ex.root();
                    long hit = r.stream().mapToLong(n -> n.actual() == null ? 0 : n.actual().sharedHit()).max().orElse(0);
                    long read = r.stream().mapToLong(n -> n.actual() == null ? 0 : n.actual().sharedRead()).max().orElse(0);
                    execution = Optional.of(new Execution(ex.executionMs(), ex.planningMs(),
                            r.actual() == null ? 0 : r.actual().rows(), hit, read, PlanText.render(r)));
                } catch (SQLException e) {
                    notes.add("EXPLAIN ANALYZE did not finish: " + Session.serverMessage(e) + " (statement timeout "
                            + review.statementTimeout().toMillis() + " ms). The review used the plan without it.");
                }
            }
        }
        if (writes) {
            notes.add("The statement writes: the review planned it with EXPLAIN and never executed it.");
        }

        List<Finding> findings = Findings.of(shape, tables, text);
        Set<FindingKind> found = EnumSet.noneOf(FindingKind.class);
        findings.forEach(f -> found.add(f.kind()));

        Proposed proposed = propose(new Target(review.sql(), text, shape, genericShape, explainer, types, values, generic),
                tables, found, hypopg, writes, major, at, MAX_PROPOSALS);
        for (String f : proposed.failures) {
            notes.add("Not proposed: " + f);
        }
        if (hypopg.isEmpty()) {
            notes.add(review.hypotheticalIndexes() == HypotheticalIndexes.OFF
                    ? "Hypothetical indexes are off: the costs with each proposal are Querk's estimates from pg_stats, not the planner's."
                    : "HypoPG is not installed in this database, so the costs with each proposal are Querk's estimates from"
                    + " pg_stats, not the planner's. CREATE EXTENSION hypopg (Debian: postgresql-" + major + "-hypopg) to"
                    + " have them proven.");
        } else if (proposed.proposals.stream().anyMatch(p -> p.basis() == CostBasis.ESTIMATED)) {
            notes.add("HypoPG cannot simulate GIN indexes: the cost with a trigram index is Querk's estimate.");
        }
        List<IndexProposal> proposals = proposed.proposals;
        if (proposals.isEmpty() && findings.stream().anyMatch(f -> f.kind() == FindingKind.SEQ_SCAN_SELECTIVE_FILTER)) {
            notes.add("No index the review tried makes the plan cheaper by " + Math.round((1 - Ranker.MIN_GAIN) * 100)
                    + "% or more.");
        }

        List<Rewrite> rewrites = rewrites(shape, tables, found, root.totalCost(), values, generic, types, hypopg, major, at);

        PlanSummary plan = new PlanSummary(root.label(), root.startupCost(), root.totalCost(), root.planRows(),
                PlanText.render(root), baselineJson);
        CostBasis basis = hypopg.isPresent() ? CostBasis.PROVEN : CostBasis.ESTIMATED;
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new QueryReviewReport(review.sql(), serverVersion, basis, hypopg, writes, params, plan, execution, findings,
                proposals, rewrites, notes, took, at);
    }

    /** The statement proposals are made for: the query, or one of its rewrites. */
    private record Target(String sql, SqlText text, QueryShape shape, QueryShape genericShape, Explainer explainer,
                          List<String> types, List<String> values, boolean generic) {
    }

    private static final class Proposed {
        final List<IndexProposal> proposals = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
    }

    /** Index names given so far, by index shape: the same index proposed twice (for a rewrite too) keeps its name. */
    private final Map<String, String> names = new HashMap<>();

    /** Candidates from each table the plan reads, ranked by the oracle, the best made into proposals. */
    private Proposed propose(Target q, Map<String, TableInfo> tables, Set<FindingKind> found, Optional<String> hypopg,
                             boolean writes, int major, Instant at, int max) throws SQLException {
        Proposed out = new Proposed();
        List<Candidate> singles = new ArrayList<>();
        List<List<Candidate>> bundles = new ArrayList<>();
        for (RelationUse u : q.shape().relations().values()) {
            TableInfo t = tables.get(u.alias());
            if (t == null) {
                continue;
            }
            Set<String> bound = new HashSet<>();
            if (q.genericShape() != null) {
                q.genericShape().parameters().values().stream().filter(p -> u.alias().equals(p.alias()))
                        .forEach(p -> bound.add(p.column() + "|" + p.op()));
            }
            CandidateGenerator.Generated g = CandidateGenerator.generate(u, t, bound, Findings.implicitCasts(u, q.text()));
            singles.addAll(g.singles());
            bundles.addAll(g.bundles());
        }
        EstimateOracle estimator = new EstimateOracle(q.shape(), tables, catalog.costSettings());
        Ranker.Oracle oracle = hypopg.isPresent() ? new HypoOracle(s, q.explainer(), estimator) : estimator;
        Ranker.Result ranked = Ranker.rank(singles, bundles, q.shape().root().totalCost(), oracle);
        out.failures.addAll(ranked.failures());
        for (Ranker.Ranked r : ranked.ranked()) {
            if (out.proposals.size() == max) {
                break;
            }
            try {
                out.proposals.add(proposal(out.proposals.size() + 1, r, q, tables, major, writes, found, at));
            } catch (io.querk.migration.MigrationDefinitionException e) {
                // Querk's DSL refuses the index as written: say so rather than propose what cannot ship.
                out.failures.add(String.join(" + ", r.indexes().stream().map(c -> c.shape() + " on " + c.table()).toList())
                        + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Optional<String> hypoPg() throws SQLException {
        if (review.hypotheticalIndexes() == HypotheticalIndexes.OFF) {
            return Optional.empty();
        }
        Optional<String> v = catalog.extension("hypopg");
        if (v.isEmpty() && review.hypotheticalIndexes() == HypotheticalIndexes.REQUIRE) {
            String db = (String) s.rows("SELECT current_database()::text").get(0)[0];
            int major = ((Number) s.rows("SELECT current_setting('server_version_num')::int / 10000").get(0)[0]).intValue();
            throw new QueryReviewException("HypoPG is required (hypotheticalIndexes(REQUIRE)) but is not installed in"
                    + " database " + db + ". Run CREATE EXTENSION hypopg there (the server needs the extension's"
                    + " package, e.g. Debian's postgresql-" + major + "-hypopg), or use AUTO to have costs estimated.");
        }
        return v;
    }

    private Map<String, TableInfo> tables(QueryShape shape) throws SQLException {
        Map<String, TableInfo> out = new LinkedHashMap<>();
        for (RelationUse u : shape.relations().values()) {
            String key = u.schema() + "." + u.table();
            Optional<TableInfo> t = tableCache.get(key);
            if (t == null) {
                t = catalog.table(u.schema(), u.table());
                tableCache.put(key, t);
            }
            t.ifPresent(info -> out.put(u.alias(), info));
        }
        return out;
    }

    private IndexProposal proposal(int rank, Ranker.Ranked r, Target q, Map<String, TableInfo> tables, int major,
                                   boolean writes, Set<FindingKind> found, Instant at) throws SQLException {
        PlanNode root = q.shape().root();
        List<ProposedIndex> drafts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < r.indexes().size(); i++) {
            Candidate c = r.indexes().get(i);
            TableInfo t = tables.get(c.alias());
            String name = name(c, t);
            names.add(name);
            drafts.add(new ProposedIndex(name, t.sqlName(), c.method(), keys(c), c.include(), Optional.ofNullable(c.predicate()),
                    extensionNeeded(c), "", impact(c, t, r.evaluation().sizes().get(i), r.evaluation().basis() == CostBasis.PROVEN
                    && c.hypothetical())));
        }
        String expected = fill(r.evaluation().node() == null ? "" : r.evaluation().node(), names);
        String planText = fill(r.evaluation().planText(), names);
        Set<FindingKind> addresses = EnumSet.noneOf(FindingKind.class);
        r.indexes().forEach(c -> addresses.addAll(c.addresses()));
        addresses.retainAll(found);
        String reason = reason(r.indexes());
        String id = LocalDate.ofInstant(at, ZoneOffset.UTC) + "." + names.get(0).replace('_', '-');
        Verification placeholder = new Verification("", !writes, expected, r.evaluation().cost(), names, List.of());
        IndexProposal draft = new IndexProposal(rank, drafts, root.totalCost(), r.evaluation().cost(), r.evaluation().basis(),
                expected, planText, reason, List.copyOf(addresses), placeholder, id);
        // Querk's planner renders the statements and the catalog check: what the engine will run.
        Migration m = draft.toMigration(id);
        MigrationPlan plan = Planner.forServer(Math.max(Planner.OLDEST_SUPPORTED, Math.min(Planner.NEWEST_KNOWN, major))).plan(m);
        List<String> definitions = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        for (PlannedStep step : plan.steps()) {
            if (step.step().kind() == StepKind.CREATE_INDEX) {
                for (PlannedAction a : step.actions()) {
                    a.statements().stream().filter(x -> x.startsWith("CREATE")).forEach(definitions::add);
                }
                step.verificationQuery().ifPresent(checks::add);
            }
        }
        List<ProposedIndex> done = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            ProposedIndex d = drafts.get(i);
            done.add(new ProposedIndex(d.name(), d.table(), d.method(), d.keys(), d.include(), d.predicate(), d.extension(),
                    i < definitions.size() ? definitions.get(i) : "", d.writeImpact()));
        }
        String query = q.generic() ? q.sql()
                : q.text().replaceParameters(n -> Explainer.literal(q.values().get(n - 1)) + "::" + q.types().get(n - 1));
        Verification v = new Verification(query, !writes, expected, r.evaluation().cost(), names, checks);
        return new IndexProposal(rank, done, root.totalCost(), r.evaluation().cost(), r.evaluation().basis(), expected,
                planText, reason, List.copyOf(addresses), v, id);
    }

    /** One reason for a set: an OR's branches share theirs. */
    static String reason(List<Candidate> cs) {
        String or = "one index per OR branch, combined by a BitmapOr: ";
        if (cs.size() > 1 && cs.stream().allMatch(c -> c.reason().startsWith(or))) {
            return or + String.join(", ", cs.stream().map(c -> c.reason().substring(or.length())).toList());
        }
        return String.join("; ", cs.stream().map(Candidate::reason).toList());
    }

    private static String fill(String s, List<String> names) {
        String out = s;
        for (int i = 0; i < names.size(); i++) {
            out = out.replace("{" + i + "}", names.get(i));
        }
        return out;
    }

    private static List<IndexKey> keys(Candidate c) {
        return c.keys().stream().map(k -> new IndexKey(k.column(), k.expression(), k.descending(), k.opclass())).toList();
    }

    private Optional<String> extensionNeeded(Candidate c) throws SQLException {
        if (c.extension() == null || catalog.extension(c.extension()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(c.extension());
    }

    /** A name free in the schema: table, keys, and a suffix saying what kind of index it is. */
    private String name(Candidate c, TableInfo t) throws SQLException {
        String shape = t.schema() + "." + t.name() + " " + c.method() + " " + c.shape();
        String known = names.get(shape);
        if (known != null) {
            return known;
        }
        java.util.Collection<String> taken = names.values();
        List<String> parts = new ArrayList<>();
        for (Candidate.Key k : c.keys()) {
            parts.add(k.column() != null ? k.column() : k.expression().replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_|_$", ""));
        }
        String suffix = c.method().equals("gin") && c.keys().stream().anyMatch(k -> "gin_trgm_ops".equals(k.opclass()))
                ? "_trgm_idx" : c.predicate() != null ? "_part_idx" : "_idx";
        String base = (t.name() + "_" + String.join("_", parts)).toLowerCase(Locale.ROOT);
        int max = 63 - suffix.length();
        if (base.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
            base = base.substring(0, Math.min(base.length(), max));
        }
        String name = base + suffix;
        for (int n = 2; taken.contains(name) || catalog.relationExists(t.schema(), name); n++) {
            String sfx = "_" + n + suffix;
            name = base.substring(0, Math.min(base.length(), 63 - sfx.length())) + sfx;
        }
        names.put(shape, name);
        return name;
    }

    private WriteImpact impact(Candidate c, TableInfo t, long size, boolean sizeFromHypoPg) throws SQLException {
        TableInfo.WriteStats w = t.writes() == null ? new TableInfo.WriteStats(0, 0, 0, 0, 0) : t.writes();
        List<String> existing = t.indexes().stream().map(TableInfo.ExistingIndex::name).toList();
        long existingBytes = t.indexes().stream().mapToLong(TableInfo.ExistingIndex::sizeBytes).sum();
        Set<String> cols = c.columns(new LinkedHashSet<>(t.columns().keySet()));
        List<String> fresh = cols.stream().filter(col -> t.indexes().stream().noneMatch(ix -> ix.touches(col))).toList();
        Optional<List<String>> updated = fresh.isEmpty() ? Optional.of(List.of()) : catalog.updatedColumns(t.name(), fresh);
        double share = c.predicate() == null ? 1 : Math.max(0.0001, (double) size / Math.max(1, IndexSize.bytes(c, t, 1)));
        Set<String> set = text.updatedColumns();
        List<String> setByReviewed = cols.stream().filter(set::contains).toList();
        return new WriteImpact(t.sqlName(), w.inserts(), w.updates(), w.hotUpdates(), w.deletes(),
                Duration.ofMillis((long) (w.seconds() * 1000)), existing, existingBytes, size, sizeFromHypoPg,
                IndexSize.buildTime(t, Math.min(1, share), c.method().equals("gin")), fresh, updated.orElse(List.of()),
                updated.isPresent(), setByReviewed);
    }

    private List<Rewrite> rewrites(QueryShape shape, Map<String, TableInfo> tables, Set<FindingKind> found, double before,
                                   List<String> values, boolean generic, List<String> types, Optional<String> hypopg,
                                   int major, Instant at) throws SQLException {
        List<Rewrite> out = new ArrayList<>();
        for (Rewrites.Draft d : Rewrites.of(text, shape, tables, found.contains(FindingKind.OR_ACROSS_COLUMNS))) {
            int n = types.size() + d.newParameters().size();
            try {
                out.add(s.inSavepoint(() -> rewrite(d, n, values, generic, types, before, hypopg, major, at)));
            } catch (SQLException e) {
                // A rewrite the server cannot plan is not proposed.
                notes.add("A " + d.kind().label() + " rewrite was considered but did not plan (" + Session.serverMessage(e)
                        + "), so it is not proposed.");
            }
        }
        return out;
    }

    private Rewrite rewrite(Rewrites.Draft d, int n, List<String> values, boolean generic, List<String> types, double before,
                            Optional<String> hypopg, int major, Instant at) throws SQLException {
        List<String> vals = new ArrayList<>(generic ? Collections.nCopies(types.size(), (String) null) : values);
        boolean gen = generic;
        QueryShape g = null;
        Explainer probe = new Explainer(s, d.sql(), Collections.nCopies(n, null), true);
        List<String> rtypes = probe.parameterTypes();
        if (n > 0) {
            g = QueryShape.of(probe.explain(true).root());
        }
        if (!d.newParameters().isEmpty()) {
            Map<Integer, ParameterSampler.Sample> samples = ParameterSampler.sample(g, tables(g), rtypes);
            for (int i = types.size() + 1; i <= n; i++) {
                ParameterSampler.Sample x = samples.get(i);
                vals.add(x == null ? null : x.value());
                gen |= x == null || x.value() == null;
            }
        }
        List<String> planned = gen ? Collections.nCopies(n, null) : vals;
        Explainer ex = new Explainer(s, d.sql(), planned, gen);
        PlanReader.Explained plan = ex.explain(true);
        QueryShape rshape = QueryShape.of(plan.root());
        Map<String, TableInfo> rtables = tables(rshape);
        SqlText rtext = SqlText.of(d.sql());
        Set<FindingKind> rfound = EnumSet.allOf(FindingKind.class);
        Proposed p = propose(new Target(d.sql(), rtext, rshape, g, ex, rtypes, planned, gen), rtables, rfound, hypopg,
                false, major, at, 1);
        return new Rewrite(d.kind(), d.sql(), d.reason(), before, plan.root().totalCost(),
                p.proposals.stream().findFirst(), d.newParameters());
    }

    /** @return the message for a statement of the review that ran out of time or waited too long for a lock, else null */
    static String waited(SQLException e, QueryReview review) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("55P03")) {
            return "The review waited " + Session.lockTimeout(review.statementTimeout()).toMillis()
                    + " ms for a lock on a table the query reads:"
                    + " a session holds a strong lock on it (a migration, a VACUUM FULL, a LOCK TABLE). Try again once it is"
                    + " done, or raise statementTimeout(...).";
        }
        if (state.equals("57014")) {
            return "A statement of the review ran longer than its statement timeout of " + review.statementTimeout().toMillis()
                    + " ms (" + Session.serverMessage(e) + "). Raise statementTimeout(...) and review again.";
        }
        return null;
    }

    private QueryReviewException translate(SQLException e, int prefix) {
        String waited = waited(e, review);
        if (waited != null) {
            return new QueryReviewException(waited, review.sql(), e);
        }
        int pos = Session.position(e) - prefix;
        String where = "";
        if (pos > 0 && pos <= review.sql().length() + 1) {
            int at = pos - 1;
            String sql = review.sql();
            int lineStart = sql.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
            int lineEnd = sql.indexOf('\n', at);
            String line = sql.substring(lineStart, lineEnd < 0 ? sql.length() : lineEnd);
            where = " (at " + text.lineAndColumn(at) + ")\n    " + line + "\n    " + " ".repeat(Math.max(0, at - lineStart)) + "^\n";
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String advice = switch (state) {
            case "42P01" -> "Check the table's name and schema (the review uses the connection's search_path).";
            case "42703" -> "Check the column's name, and which table it belongs to.";
            case "42601" -> "Fix the syntax.";
            case "42883" -> "Check the argument types; a cast may be missing.";
            case "42P18" -> "Give the parameter a type with a cast, e.g. $1::bigint.";
            case "42P02" -> "Number parameters from $1 without gaps.";
            case "42501" -> "The review's user needs SELECT on the tables the query reads.";
            default -> "Fix the query and review again.";
        };
        String what = switch (state) {
            case "42P01", "42703", "42883" -> "The query refers to something that does not exist: ";
            case "42601" -> "The query does not parse: ";
            default -> "The query does not plan: ";
        };
        return new QueryReviewException(what + Session.serverMessage(e) + where + (where.isEmpty() ? ". " : "") + advice,
                review.sql(), e);
    }

    private static String dollars(List<Integer> ns) {
        return String.join(", ", ns.stream().map(n -> "$" + n).toList());
    }
}
