package io.querk.internal.sqlfile;

import io.querk.internal.plan.SafeForms;
import io.querk.internal.plan.StatementAnalysis;
import io.querk.internal.sql.SqlLexer;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.sql.SqlSyntaxException;
import io.querk.internal.sql.Token;
import io.querk.internal.step.BackfillTuning;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.StepDefinition;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.Phase;
import io.querk.migration.SafetyOverride;
import io.querk.migration.StepSource;
import io.querk.migration.Undo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one SQL-file migration: its name ({@code V<version>__<description>.sql}), its markers
 * (phases, overrides, undos, backfill pacing) and its statements, into the steps of a migration.
 * Every statement becomes a step the planner and the lock guard treat like a typed one: a
 * statement whose safe form means the same is rewritten into that typed step ({@link SafeForms}),
 * the others run as raw SQL, consecutive ones together in one transaction.
 *
 * <p>The markers, in {@code --} comments on lines of their own (docs/sql-files.md):
 * <pre>
 * -- querk:expand                       (the default until another phase marker)
 * -- querk:backfill [batch-size=N] [pause=20ms]
 * -- querk:contract
 * -- querk:override [code, ...] because &lt;reason&gt;   (the next statement, kept as written)
 * -- querk:undo &lt;SQL&gt;                             (the next statement, for abort)
 * </pre>
 */
public final class SqlFileParser {

    /** Flyway's versioned-migration names: {@code V1__init.sql}, {@code V1.2__x.sql}, {@code V1_2__x.sql}. */
    private static final Pattern NAME = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final Pattern OTHER_FLYWAY = Pattern.compile("([RUB]).*__.*\\.sql");
    private static final String MARKER = "querk:";
    private static final String CHECKSUM_VERSION = "querk-sqlfile-v1";

    /** The marker syntax, for messages. */
    public static final String OVERRIDE_SYNTAX = "-- querk:override <hazard-code> because <why it is acceptable here>";

    private SqlFileParser() {
    }

    /**
     * A parsed file, ready to become a migration.
     *
     * @param id          the migration id: the version, with {@code _} read as {@code .}
     * @param description the description from the name, underscores read as spaces
     * @param declared    the steps per phase
     * @param checksums   per phase, over the statements as written
     * @param sources     where each step comes from
     */
    public record Parsed(String id, String description, Map<Phase, List<StepDefinition>> declared,
                         Map<Phase, String> checksums, Map<StepDefinition, StepSource> sources) {
    }

    /**
     * @param fileName a file's name without its folders
     * @return true if it is a versioned SQL migration's name
     * @throws MigrationDefinitionException for a name Querk recognises as another tool's convention
     *                                      it does not support (repeatable, undo, baseline migrations)
     */
    public static boolean isMigration(String fileName) {
        if (NAME.matcher(fileName).matches()) {
            return true;
        }
        Matcher other = OTHER_FLYWAY.matcher(fileName);
        if (other.matches()) {
            String kind = switch (other.group(1)) {
                case "R" -> "a repeatable migration";
                case "U" -> "an undo migration";
                default -> "a baseline migration";
            };
            throw new MigrationDefinitionException(fileName + " looks like " + kind + " in Flyway's naming, which"
                    + " Querk does not run. Querk runs versioned files (V<version>__<description>.sql) once each;"
                    + " put a view or function that changes into a new versioned file (CREATE OR REPLACE ...), and"
                    + " leave undo to querk.abort(...).");
        }
        return false;
    }

    /**
     * @param file the file's path relative to its location (for messages); its last part is the name
     * @param text the file's content
     * @return the parsed migration
     * @throws MigrationDefinitionException naming the file and line of the first problem
     */
    public static Parsed parse(String file, String text) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new MigrationDefinitionException(file + " is not named V<version>__<description>.sql (for example"
                    + " V21__orders_created_index.sql); rename it.");
        }
        String id = m.group(1).replace('_', '.');
        String description = m.group(2).replace('_', ' ').strip();
        String sql = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new Reader(file, id, description, sql).read();
    }

    /** @return the version's parts as numbers, for comparing two spellings of one version ({@code 1.0} and {@code 1}) */
    public static String versionKey(String version) {
        if (!version.matches("\\d+(?:[._]\\d+)*")) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String p : version.split("[._]")) {
            parts.add(p.replaceFirst("^0+(?=.)", ""));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).equals("0")) {
            parts.remove(parts.size() - 1);
        }
        return String.join(".", parts);
    }

    private record Marker(int offset, int line, String text) {
    }

    /** One pass over one file. */
    private static final class Reader {
        private final String file;
        private final String id;
        private final String description;
        private final String sql;
        private final Map<Phase, List<SqlStatements.Statement>> sections = new EnumMap<>(Phase.class);
        private final Map<SqlStatements.Statement, SafetyOverride> overrides = new LinkedHashMap<>();
        private final Map<SqlStatements.Statement, String> undos = new LinkedHashMap<>();
        private BackfillTuning tuning = BackfillTuning.DEFAULTS;

        Reader(String file, String id, String description, String sql) {
            this.file = file;
            this.id = id;
            this.description = description;
            this.sql = sql;
            for (Phase p : Phase.values()) {
                sections.put(p, new ArrayList<>());
            }
        }

        Parsed read() {
            List<SqlStatements.Statement> statements;
            List<Marker> markers = new ArrayList<>();
            try {
                statements = SqlStatements.split(sql);
                for (Token t : SqlLexer.tokenize(sql)) {
                    if (t.type() == Token.Type.COMMENT && t.text().startsWith("--")) {
                        String body = t.text().substring(2).strip();
                        if (body.toLowerCase(Locale.ROOT).startsWith(MARKER)) {
                            markers.add(new Marker(t.offset(), line(t.offset()), body.substring(MARKER.length()).strip()));
                        }
                    }
                }
            } catch (SqlSyntaxException e) {
                throw fail(line(e.offset()), "cannot be read: " + e.getMessage());
            }
            for (SqlStatements.Statement s : statements) {
                try {
                    SqlStatements.checkShape(s);
                } catch (SqlSyntaxException e) {
                    throw fail(line(e.offset()), "cannot be read: " + e.getMessage() + ". Fix the SQL; Querk checks it"
                            + " before anything reaches the database.");
                }
            }
            if (statements.isEmpty()) {
                throw new MigrationDefinitionException(file + " holds no statement; add one, or delete the file.");
            }
            assign(statements, markers);
            Map<Phase, List<StepDefinition>> declared = new EnumMap<>(Phase.class);
            Map<StepDefinition, StepSource> sources = new java.util.IdentityHashMap<>();
            Map<Phase, String> checksums = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                declared.put(p, steps(p, sections.get(p), sources));
                checksums.put(p, checksum(sections.get(p)));
            }
            return new Parsed(id, description, declared, checksums, sources);
        }

        /** Puts each statement in its phase and ties each override and undo to the statement after it. */
        private void assign(List<SqlStatements.Statement> statements, List<Marker> markers) {
            Phase phase = Phase.EXPAND;
            boolean phaseMarked = false;
            int next = 0;
            Marker pendingOverride = null;
            Marker pendingUndo = null;
            for (SqlStatements.Statement s : statements) {
                while (next < markers.size() && markers.get(next).offset() < s.offset()) {
                    Marker mk = markers.get(next++);
                    String word = mk.text().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                    switch (word) {
                        case "expand", "backfill", "contract" -> {
                            Phase to = Phase.of(word);
                            if (phaseMarked && to.ordinal() <= phase.ordinal()) {
                                throw fail(mk.line(), "marks " + word + " after " + phase.label() + ": each phase"
                                        + " marker comes once, in the order expand, backfill, contract.");
                            }
                            requireNothingPending(pendingOverride, pendingUndo, mk);
                            phase = to;
                            phaseMarked = true;
                            if (to == Phase.BACKFILL) {
                                tuning = tuning(mk);
                            } else if (!rest(mk).isEmpty()) {
                                throw fail(mk.line(), "-- querk:" + word + " takes nothing after it, got '" + rest(mk) + "'.");
                            }
                        }
                        case "override" -> {
                            if (pendingOverride != null) {
                                throw fail(mk.line(), "has a second override for the same statement; put every"
                                        + " hazard code in one: " + OVERRIDE_SYNTAX);
                            }
                            pendingOverride = mk;
                        }
                        case "undo" -> {
                            if (pendingUndo != null) {
                                throw fail(mk.line(), "has a second undo for the same statement; put its SQL in one.");
                            }
                            pendingUndo = mk;
                        }
                        default -> throw fail(mk.line(), "has an unknown marker '-- querk:" + mk.text() + "'. Known:"
                                + " querk:expand, querk:backfill, querk:contract, querk:override, querk:undo.");
                    }
                }
                int end = s.offset() + s.text().length();
                while (next < markers.size() && markers.get(next).offset() < end) {
                    Marker inside = markers.get(next++);
                    throw fail(inside.line(), "has the marker '-- querk:" + inside.text() + "' inside a statement"
                            + " (which starts at line " + line(s.offset()) + "); put markers between statements.");
                }
                sections.get(phase).add(s);
                if (pendingOverride != null) {
                    if (phase == Phase.BACKFILL) {
                        throw fail(pendingOverride.line(), "overrides a backfill statement: a backfill has no hazard to"
                                + " accept; remove the override.");
                    }
                    overrides.put(s, override(pendingOverride));
                    pendingOverride = null;
                }
                if (pendingUndo != null) {
                    if (phase != Phase.EXPAND) {
                        throw fail(pendingUndo.line(), "gives an undo outside expand: only what expand adds is undone"
                                + " by abort; remove it.");
                    }
                    undos.put(s, undo(pendingUndo));
                    pendingUndo = null;
                }
            }
            while (next < markers.size()) {
                Marker mk = markers.get(next++);
                String word = mk.text().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                if (word.equals("override") || word.equals("undo")) {
                    pendingOverride = word.equals("override") ? mk : pendingOverride;
                    pendingUndo = word.equals("undo") ? mk : pendingUndo;
                } else if (!List.of("expand", "backfill", "contract").contains(word)) {
                    throw fail(mk.line(), "has an unknown marker '-- querk:" + mk.text() + "'.");
                } else {
                    throw fail(mk.line(), "marks " + word + " with no statement after it; remove the marker.");
                }
            }
            requireNothingPending(pendingOverride, pendingUndo, null);
        }

        private void requireNothingPending(Marker override, Marker undo, Marker at) {
            Marker left = override != null ? override : undo;
            if (left != null) {
                throw fail(left.line(), "'-- querk:" + left.text() + "' applies to the statement after it, but "
                        + (at == null ? "the file ends" : "a phase marker follows at line " + at.line())
                        + "; put it on the line before its statement.");
            }
        }

        private SafetyOverride override(Marker mk) {
            String body = rest(mk);
            int because = indexOfWord(body, "because");
            if (because < 0) {
                throw fail(mk.line(), "has an override without a reason; write it as " + OVERRIDE_SYNTAX);
            }
            String codes = body.substring(0, because).strip();
            String reason = body.substring(because + "because".length()).strip();
            try {
                SafetyOverride o = SafetyOverride.because(reason);
                if (!codes.isEmpty()) {
                    o = o.onlyFor(codes.split("[,\\s]+"));
                }
                return o;
            } catch (MigrationDefinitionException e) {
                throw fail(mk.line(), "has an override Querk cannot take: " + e.getMessage());
            }
        }

        private String undo(Marker mk) {
            String script = rest(mk);
            if (script.isEmpty()) {
                throw fail(mk.line(), "has an empty undo; write the SQL that reverses the next statement:"
                        + " -- querk:undo DROP TYPE IF EXISTS parcel_size");
            }
            try {
                if (SqlStatements.split(script).isEmpty()) {
                    throw fail(mk.line(), "has an undo without a statement.");
                }
            } catch (SqlSyntaxException e) {
                throw fail(mk.line(), "has an undo that cannot be read: " + e.getMessage());
            }
            return Undo.with(script).script();
        }

        private BackfillTuning tuning(Marker mk) {
            Integer batch = null;
            Duration pause = null;
            for (String opt : rest(mk).isEmpty() ? new String[0] : rest(mk).split("\\s+")) {
                String[] kv = opt.split("=", 2);
                try {
                    if (kv.length == 2 && kv[0].equals("batch-size")) {
                        batch = Integer.parseInt(kv[1]);
                        if (batch <= 0) {
                            throw new NumberFormatException();
                        }
                    } else if (kv.length == 2 && kv[0].equals("pause")) {
                        pause = duration(kv[1]);
                    } else {
                        throw fail(mk.line(), "has an unknown backfill option '" + opt + "'; known: batch-size=N,"
                                + " pause=20ms (or 1s).");
                    }
                } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                    throw fail(mk.line(), "has a backfill option '" + opt + "' whose value is not usable: batch-size"
                            + " takes a positive number of rows, pause a duration such as 20ms or 1s.");
                }
            }
            return new BackfillTuning(batch, pause, null, null, null, null);
        }

        private static Duration duration(String s) {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            throw new NumberFormatException(s);
        }

        /** The steps of one phase: rewritten statements and overridden ones alone, the rest in runs. */
        private List<StepDefinition> steps(Phase phase, List<SqlStatements.Statement> statements,
                                           Map<StepDefinition, StepSource> sources) {
            List<StepDefinition> out = new ArrayList<>();
            if (phase == Phase.BACKFILL) {
                for (SqlStatements.Statement s : statements) {
                    StepDefinition b;
                    try {
                        b = SafeForms.backfill(s, tuning);
                    } catch (IllegalArgumentException | MigrationDefinitionException e) {
                        throw fail(line(s.offset()), "has a statement the backfill section cannot run: "
                                + e.getMessage() + ".");
                    }
                    out.add(b);
                    sources.put(b, new StepSource(file, line(s.offset()), s.text(), true));
                }
                return out;
            }
            List<StatementAnalysis> analyses = SafeForms.analyze(statements, phase);
            List<SqlStatements.Statement> run = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                SqlStatements.Statement s = statements.get(i);
                boolean alone = overrides.containsKey(s) || undos.containsKey(s);
                Optional<StepDefinition> safe = alone ? Optional.empty() : SafeForms.rewrite(s, analyses.get(i));
                if (!alone && safe.isEmpty()) {
                    run.add(s);
                    continue;
                }
                flush(run, out, sources, null, null);
                run = new ArrayList<>();
                if (safe.isPresent()) {
                    out.add(safe.get());
                    sources.put(safe.get(), new StepSource(file, line(s.offset()), s.text(), true));
                } else {
                    flush(List.of(s), out, sources, overrides.get(s), undos.get(s));
                }
            }
            flush(run, out, sources, null, null);
            return out;
        }

        private void flush(List<SqlStatements.Statement> run, List<StepDefinition> out,
                           Map<StepDefinition, StepSource> sources, SafetyOverride override, String undo) {
            if (run.isEmpty()) {
                return;
            }
            StringBuilder script = new StringBuilder();
            for (SqlStatements.Statement s : run) {
                script.append(script.length() == 0 ? "" : ";\n").append(s.text());
            }
            String text = script.toString();
            RawSql raw = new RawSql(text, SqlStatements.split(text), override,
                    undo == null ? null : SqlStatements.split(undo));
            out.add(raw);
            sources.put(raw, new StepSource(file, line(run.get(0).offset()), text, false));
        }

        private String checksum(List<SqlStatements.Statement> statements) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(CHECKSUM_VERSION.getBytes(StandardCharsets.UTF_8));
                for (SqlStatements.Statement s : statements) {
                    md.update((byte) '\n');
                    md.update(s.text().replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
        }

        private static String rest(Marker mk) {
            String[] parts = mk.text().split("\\s+", 2);
            return parts.length < 2 ? "" : parts[1].strip();
        }

        private static int indexOfWord(String s, String word) {
            Matcher m = Pattern.compile("(?i)(^|\\s)" + word + "(\\s|$)").matcher(s);
            return m.find() ? m.start() + (m.group(1).isEmpty() ? 0 : 1) : -1;
        }

        private int line(int offset) {
            int line = 1;
            for (int i = 0; i < offset && i < sql.length(); i++) {
                if (sql.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private MigrationDefinitionException fail(int line, String problem) {
            return new MigrationDefinitionException(file + ":" + line + " " + problem, id);
        }
    }
}
