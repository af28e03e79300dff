package io.querk.cli.internal;

import io.querk.jdbc.Baseline;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.QuerkConfigException;
import io.querk.migration.Migration;
import io.querk.plan.MigrationPlans;
import io.querk.plan.Planner;
import io.querk.review.HypotheticalIndexes;
import io.querk.review.QueryReview;
import io.querk.review.QueryReviewReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** The {@code querk} command and its verbs, in picocli's annotations. */
public final class Commands {

    private Commands() {
    }

    static final String EXIT_CODES_HEADING = "%nEXIT STATUS%n";

    /** @return the command line, with its output going to {@code out} and {@code err} */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Top());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Common common = common(line.getCommand());
            if (common != null && common.json) {
                line.getOut().println(Reports.errorJson(e));
                line.getOut().flush();
            } else {
                line.getErr().println("querk " + line.getCommandName() + ": " + e.getMessage());
                if (Reports.exitCode(e) == Reports.INTERNAL) {
                    e.printStackTrace(line.getErr());
                }
                line.getErr().flush();
            }
            return Reports.exitCode(e);
        });
        return cl;
    }

    private static Common common(Object command) {
        return command instanceof Verb v ? v.common : null;
    }

    @Command(name = "querk", mixinStandardHelpOptions = true, versionProvider = Version.class,
            headerHeading = "%n", header = "Zero-downtime PostgreSQL schema changes: plan, check, migrate, review.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n",
            description = {
                "Reads a project's migrations (SQL files named V<version>__<description>.sql, and Java migrations"
                        + " from MigrationProvider classes on --classpath), plans what each step locks, scans and"
                        + " rewrites on each PostgreSQL version, refuses what would block or break the running"
                        + " application, and runs the rest under the lock guard.",
                "",
                "Every verb prints text for a person, or with --json one JSON document for tools. Log lines go"
                        + " to standard error. 'querk <verb> --help' describes a verb."},
            commandListHeading = "%nVERBS%n", optionListHeading = "%nOPTIONS%n",
            exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:done",
                "1:the safety planner refused a step (nothing ran)",
                "2:the command line is wrong (unknown option, missing argument)",
                "3:the migrations or settings are not usable (misnamed file, unreadable SQL, duplicate id)",
                "4:the database or a step failed (connection, lock timeout, failed statement)",
                "5:the history needs a decision (an applied migration edited, out of order, abort refused)",
                "70:a bug in Querk"},
            footerHeading = "%nEXAMPLES%n", footer = {
                "  querk check --location src/main/resources/db/migration --baseline 20",
                "  querk plan --format markdown --output plan.md --server 14,18",
                "  QUERK_PASSWORD=... querk migrate --url jdbc:postgresql://db:5432/shop --user migrator --baseline flyway",
                "  querk status --url jdbc:postgresql://db:5432/shop --json",
                "",
                "See docs/cli.md for every verb, docs/sql-files.md for the SQL-file markers."},
            subcommands = {Plan.class, Check.class, Migrate.class, Status.class, Abort.class, Repair.class,
                    Review.class, CommandLine.HelpCommand.class})
    static final class Top implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Name a verb: plan, check, migrate, status,"
                    + " abort, repair or review ('querk --help' lists them).");
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Commands.class.getPackage().getImplementationVersion();
            return new String[] {"querk " + (v == null ? "(development build)" : v)};
        }
    }

    /** Options every verb takes. */
    static final class Common {
        @Option(names = "--json", description = "Print one JSON document for tools instead of text.")
        boolean json;
    }

    /** Where the migrations are. */
    static final class Sources {
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = {
            "Where the SQL files are: a folder, filesystem:PATH, or classpath:FOLDER (looked up on --classpath).",
            "Repeatable. Default: src/main/resources/db/migration when that folder exists."})
        List<String> locations = new ArrayList<>();

        @Option(names = {"-c", "--classpath"}, paramLabel = "PATH", split = "${sys:path.separator}", description =
                "Jars and class folders holding Java migrations (MigrationProvider, registered for ServiceLoader)"
                        + " and classpath: locations.")
        List<Path> classpath = new ArrayList<>();

        List<Migration> load() {
            List<String> locs = new ArrayList<>(locations);
            if (locs.isEmpty() && Files.isDirectory(Path.of("src/main/resources/db/migration"))) {
                locs.add("src/main/resources/db/migration");
            }
            if (locs.isEmpty() && classpath.isEmpty()) {
                throw new QuerkConfigException("No migrations: give --location with the folder of the V*.sql files,"
                        + " or --classpath with the application's Java migrations.");
            }
            return Workspace.migrations(locs, Workspace.classLoader(classpath, Commands.class.getClassLoader()));
        }
    }

    /** Which database. */
    static final class Database {
        @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:QUERK_URL}",
                description = "jdbc:postgresql://host:5432/database (default: $QUERK_URL). A direct connection, not"
                        + " through a transaction-mode pooler.")
        String url;

        @Option(names = "--user", defaultValue = "${env:QUERK_USER}", description = "The user (default: $QUERK_USER).")
        String user;

        @Option(names = "--password", defaultValue = "${env:QUERK_PASSWORD}", description =
                "The password (default: $QUERK_PASSWORD, which keeps it out of the process list).")
        String password;

        javax.sql.DataSource dataSource() {
            return Workspace.dataSource(url, user, password);
        }
    }

    /** A verb: common options, output. */
    abstract static class Verb implements Callable<Integer> {
        @Mixin
        Common common;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void print(String text) {
            out().print(text.endsWith("\n") ? text : text + "\n");
            out().flush();
        }
    }

    /** A verb on a database: the migrations, the connection and the engine's settings. */
    abstract static class Connected extends Verb {
        @Mixin
        Sources sources;
        @Mixin
        Database database;
        @Mixin
        Engine engine;

        Querk querk(String contractThrough) {
            return engine.querk(sources, database, contractThrough);
        }
    }

    /** plan and check: the same plans, check fails on a refusal. */
    abstract static class Planning extends Verb {
        @Mixin
        Sources sources;

        @Option(names = {"-s", "--server"}, paramLabel = "N", split = ",", description = {
            "PostgreSQL major versions to plan for, e.g. 14,18. Default: every supported one (14 to 18).",
            "Offline; with --url, the plan is made against that database instead."})
        List<Integer> servers = new ArrayList<>();

        @Option(names = {"-b", "--baseline"}, paramLabel = "ID", description = {
            "The last migration the database already has: the plan leaves it and those before out.",
            "With --url: also flyway or liquibase (optionally :table), read from that database."})
        String baseline;

        @Option(names = "--url", paramLabel = "JDBC_URL", description =
                "Plan the pending work of this database (its version, its history, live table sizes) instead of"
                        + " planning offline.")
        String url;

        @Option(names = "--user", defaultValue = "${env:QUERK_USER}", description = "The user (default: $QUERK_USER).")
        String user;

        @Option(names = "--password", defaultValue = "${env:QUERK_PASSWORD}", description = "The password (default: $QUERK_PASSWORD).")
        String password;

        MigrationPlans plans() {
            List<Migration> all = sources.load();
            if (url != null) {
                QuerkConfig.Builder b = QuerkConfig.custom().dataSource(Workspace.dataSource(url, user, password))
                        .migrations(all);
                if (baseline != null) {
                    b.baseline(Baseline.parse(baseline));
                }
                return new MigrationPlans(List.of(Querk.create(b.build()).plan()));
            }
            List<Integer> versions = servers.isEmpty()
                    ? IntStream.rangeClosed(Planner.OLDEST_SUPPORTED, Planner.NEWEST_KNOWN).boxed().toList() : servers;
            return MigrationPlans.of(Workspace.afterBaseline(all, baseline), versions);
        }
    }

    /** Output formats of a plan. */
    enum Format { TEXT, MARKDOWN, JSON }

    @Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Say what each pending step will do: statements, locks and what they block, scans, rewrites.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Plans every migration offline for each --server version (or the pending work of the database"
                        + " at --url), and prints it as text, Markdown fit for a pull-request comment, or JSON"
                        + " (an array of querk-plan/1 plans). Rewritten SQL-file statements show what they became"
                        + " (a plain CREATE INDEX runs CONCURRENTLY). A refused step is shown, not failed on: use"
                        + " check for that."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:planned (refused steps included)", "2:the command line is wrong", "3:the migrations are not usable",
                "4:the database failed (with --url)"},
            footerHeading = "%nEXAMPLES%n", footer = {
                "  querk plan -l src/main/resources/db/migration --baseline 20 --format markdown --output plan.md",
                "  querk plan -l db/migration --server 16 --json"})
    static final class Plan extends Planning {
        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
                description = "text, markdown or json (--json is the same as --format json). Default: text.")
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the plan to FILE instead of"
                + " standard output.")
        Path output;

        @Override
        public Integer call() throws IOException {
            MigrationPlans plans = plans();
            Format f = common.json ? Format.JSON : format;
            String text = switch (f) {
                case TEXT -> plans.toText();
                case MARKDOWN -> plans.toMarkdown();
                case JSON -> plans.toJson();
            };
            if (output != null) {
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                Files.writeString(output, text, StandardCharsets.UTF_8);
                if (!common.json) {
                    print("Wrote the plan (" + f.name().toLowerCase(Locale.ROOT) + ") to " + output
                            + (plans.refused() ? "; it has REFUSED steps (querk check fails on them)" : ""));
                }
            } else {
                print(text);
            }
            return Reports.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Fail when a step would block or break the running application, naming the fix.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Plans like 'plan' and exits 1 if the safety planner refuses any step on any version, naming"
                        + " the migration, the file and line, the hazard, what to write instead, and the override"
                        + " marker that accepts it with a reason. Made for CI: nothing touches a database unless"
                        + " --url is given."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:no step is refused", "1:a step is refused", "2:the command line is wrong",
                "3:the migrations are not usable", "4:the database failed (with --url)"},
            footerHeading = "%nEXAMPLES%n", footer = {"  querk check -l src/main/resources/db/migration --baseline 20"})
    static final class Check extends Planning {
        @Override
        public Integer call() {
            MigrationPlans plans = plans();
            if (common.json) {
                print(plans.toJson());
                return plans.refused() ? Reports.REFUSED : Reports.OK;
            }
            int steps = plans.plans().get(0).steps().size();
            String versions = String.join(", ", plans.plans().stream().map(p -> String.valueOf(p.serverMajor())).toList());
            if (!plans.refused()) {
                print("querk check: " + steps + (steps == 1 ? " step" : " steps") + " on PostgreSQL " + versions
                        + ": none refused.");
                return Reports.OK;
            }
            plans.requireAccepted(); // throws, with the full message, to the exception handler
            return Reports.REFUSED;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Run the pending expand and backfill phases, and released contracts, under the lock guard.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Plans the pending work against the database and refuses it, before anything runs, if a step is"
                        + " refused; then runs each statement with a short lock_timeout and bounded retry, records"
                        + " it in the history table, and names the session that blocked a step that gave up."
                        + " Contract phases run only when released (--contract-through), or with --all-phases"
                        + " (tests and development).",
                "With --baseline flyway (or liquibase), migrations that Flyway's history already applied are"
                        + " recorded as applied and never run."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:migrated (or nothing was pending)", "1:a step is refused; nothing ran", "2:the command line is wrong",
                "3:the migrations or settings are not usable", "4:the database or a step failed; the next run resumes",
                "5:the history needs a decision (an applied migration edited, out of order)"},
            footerHeading = "%nEXAMPLES%n", footer = {
                "  QUERK_PASSWORD=... querk migrate --url jdbc:postgresql://db:5432/shop --user migrator -l db/migration --baseline flyway",
                "  querk migrate --url ... -l db/migration --contract-through 23"})
    static final class Migrate extends Connected {

        @Option(names = "--contract-through", paramLabel = "ID", description = "Release the contract phases of"
                + " migrations up to and including ID: the old application version no longer runs.")
        String contractThrough;

        @Option(names = "--all-phases", description = "Run every phase, contract included, without a release. For"
                + " tests and development only.")
        boolean allPhases;

        @Override
        public Integer call() {
            Querk querk = querk(contractThrough);
            var report = allPhases ? querk.migrateAllPhases() : querk.migrate();
            print(common.json ? Reports.runJson(report) : Reports.runText(report));
            return Reports.OK;
        }
    }

    /** Engine settings the verbs that touch the database take. */
    static final class Engine {
        @Option(names = {"-b", "--baseline"}, paramLabel = "BASELINE", description = {
            "What another tool already applied: flyway or liquibase (optionally :schema.table), read from the"
                    + " database's own history table, or the id of the last migration the database already has."})
        String baseline;

        @Option(names = "--lock-timeout", paramLabel = "MS", description = "How long a statement that blocks the"
                + " application may wait for its lock per attempt, in ms. Default: 200.")
        Long lockTimeoutMs;

        @Option(names = "--history-table", paramLabel = "TABLE", description = "The history table. Default: querk_history.")
        String historyTable;

        @Option(names = "--out-of-order", description = "Run a migration new to the database that sorts before an"
                + " applied one (a branch merged late); refused by default.")
        boolean outOfOrder;

        Querk querk(Sources sources, Database database, String contractThrough) {
            QuerkConfig.Builder b = QuerkConfig.custom().dataSource(database.dataSource()).migrations(sources.load())
                    .outOfOrder(outOfOrder);
            if (baseline != null) {
                b.baseline(Baseline.parse(baseline));
            }
            if (lockTimeoutMs != null) {
                b.lockTimeout(Duration.ofMillis(lockTimeoutMs));
            }
            if (historyTable != null) {
                b.historyTable(historyTable);
            }
            if (contractThrough != null) {
                b.contractReleasedThrough(contractThrough);
            }
            return Querk.create(b.build());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Show where every phase of every migration stands in the database.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Reads the history table (and, with --baseline, the other tool's history) without changing"
                        + " anything: pending, running, failed, applied or aborted, when, and whether an applied"
                        + " migration was edited since (EDITED)."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:read", "2:the command line is wrong", "3:the migrations are not usable", "4:the database failed"})
    static final class Status extends Connected {

        @Override
        public Integer call() {
            var states = querk(null).status();
            print(common.json ? Reports.statusJson(states) : Reports.statusText(states));
            return Reports.OK;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Undo a migration whose contract has not run, so that it can be fixed and run again.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Removes, in reverse order and under the lock guard, what the migration's expand added (indexes,"
                        + " columns, constraints, triggers, tables), and records it as aborted. Raw SQL is undone"
                        + " only where its step says how (-- querk:undo in a SQL file)."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:aborted", "2:the command line is wrong", "3:no such migration", "4:the database failed",
                "5:it cannot be aborted (its contract started, or raw SQL without an undo)"})
    static final class Abort extends Connected {

        @Parameters(paramLabel = "MIGRATION", description = "The migration's id (a SQL file's version).")
        String migration;

        @Override
        public Integer call() {
            var report = querk(null).abort(migration);
            print(common.json ? Reports.abortJson(report) : Reports.abortText(report));
            return Reports.OK;
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Accept the edited definition of an applied migration whose edit changes nothing in the database.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Replaces the recorded checksums of the migration's applied phases with the current ones: for an"
                        + " edit that does not change what the migration did (a comment, reformatted SQL). An edit"
                        + " that changes the schema belongs in a new migration instead."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:repaired", "2:the command line is wrong", "3:no such migration", "4:the database failed"})
    static final class Repair extends Connected {

        @Parameters(paramLabel = "MIGRATION", description = "The migration's id.")
        String migration;

        @Override
        public Integer call() {
            int n = querk(null).repairChecksums(migration);
            print(common.json ? new io.querk.internal.json.JsonWriter().beginObject().name("format")
                    .value("querk-repair/1").name("migration").value(migration).name("phases").value(n).endObject()
                    .toString() : "Accepted the current definition of " + n + " applied phase(s) of " + migration + ".");
            return Reports.OK;
        }
    }

    @Command(name = "review", mixinStandardHelpOptions = true, sortOptions = false, headerHeading = "%n",
            header = "Review a slow query: what makes it slow, the index that fixes it, its cost to writes.",
            synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", description = {
                "Runs Querk's query review on the database at --url, read-only and rolled back: findings, index"
                        + " proposals ranked by the planner's cost (proven with HypoPG where installed), each one's"
                        + " write-path impact and verification, and the index as a migration."},
            optionListHeading = "%nOPTIONS%n", exitCodeListHeading = EXIT_CODES_HEADING, exitCodeList = {
                "0:reviewed", "2:the command line is wrong", "4:the query or the database failed"},
            footerHeading = "%nEXAMPLES%n", footer = {
                "  querk review --url ... \"SELECT * FROM orders WHERE customer_id = \\$1 ORDER BY created_at DESC LIMIT 20\"",
                "  querk review --url ... --file slow.sql --format markdown"})
    static final class Review extends Verb {
        @Mixin
        Database database;

        @Parameters(paramLabel = "SQL", arity = "0..1", description = "The query; or --file.")
        String sql;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the query from FILE.")
        Path file;

        @Option(names = {"-p", "--parameter"}, paramLabel = "VALUE", description = "The value of $1, $2 ... in order"
                + " (text; the server casts it). Default: typical values sampled from pg_stats.")
        List<String> parameters = new ArrayList<>();

        @Option(names = "--analyze", description = "Also run EXPLAIN (ANALYZE, BUFFERS), for a read-only query.")
        boolean analyze;

        @Option(names = "--hypothetical-indexes", paramLabel = "MODE", defaultValue = "AUTO",
                description = "auto, require or off: prove the proposals with HypoPG. Default: auto.")
        HypotheticalIndexes hypothetical;

        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
                description = "text, markdown or json. Default: text.")
        Format format;

        @Override
        public Integer call() throws IOException {
            if ((sql == null) == (file == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Give the query either as an argument or"
                        + " with --file, not both and not neither.");
            }
            String query = sql != null ? sql : Files.readString(file, StandardCharsets.UTF_8);
            QueryReview.Builder b = QueryReview.of(query).analyze(analyze).hypotheticalIndexes(hypothetical);
            if (!parameters.isEmpty()) {
                b.parameters(parameters.toArray());
            }
            QueryReviewReport r = b.build().run(database.dataSource());
            Format f = common.json ? Format.JSON : format;
            print(switch (f) {
                case TEXT -> r.toText();
                case MARKDOWN -> r.toMarkdown();
                case JSON -> r.toJson();
            });
            return Reports.OK;
        }
    }
}
