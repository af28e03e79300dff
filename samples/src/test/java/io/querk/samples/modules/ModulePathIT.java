package io.querk.samples.modules;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Querk as a user's application uses it, compiled and run in a JVM of its own, once on the module
 * path and once on the class path; and an application that reaches for an internal type, which
 * the module system refuses to compile.
 */
@ExtendWith(PostgresExtension.class)
class ModulePathIT {

    private static final String MAIN = """
            package app;

            import io.querk.jdbc.Querk;
            import io.querk.jdbc.QuerkConfig;
            import io.querk.migration.Migration;
            import io.querk.plan.Planner;
            import org.postgresql.ds.PGSimpleDataSource;

            public class Main {
                public static void main(String[] args) {
                    PGSimpleDataSource ds = new PGSimpleDataSource();
                    ds.setURL(args[0]);
                    ds.setUser(args[1]);
                    ds.setPassword(args[2]);
                    Migration m = Migration.define("2026-12-01.parcels-label")
                            .expand(e -> e.addColumn("parcels", "label", "text", c -> c.derivedFrom("upper(code)"))
                                    .createIndex("parcels_label_idx", "parcels", "label"))
                            .build();
                    Planner.forServer(16).plan(m).requireAccepted();
                    Querk querk = Querk.create(QuerkConfig.custom().dataSource(ds).migrations(m).build());
                    System.out.println("module: " + Querk.class.getModule().getName());
                    System.out.println("applied: " + querk.migrateAllPhases().applied().size());
                }
            }
            """;

    private static final String SNEAKY = """
            package sneaky;

            import io.querk.jdbc.internal.run.Runner;

            public class Sneaky {
                Runner runner;
            }
            """;

    private static List<Path> querkJars;

    @BeforeAll
    static void findTheArtifacts() {
        // The test's own class path holds what a user's build resolves: Querk, its two
        // dependencies, and a logging backend.
        querkJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> {
                    String s = p.toString().replace('\\', '/');
                    return s.contains("querk-core") && !s.contains("tests") || s.contains("querk-jdbc")
                            || s.contains("/slf4j-api") || s.contains("/slf4j-simple") || s.contains("/postgresql-");
                }).toList();
        assertEquals(5, querkJars.size(), "core, jdbc, slf4j-api, slf4j-simple and the driver: " + querkJars);
    }

    @Test
    void anApplicationModuleRequiringIoQuerkJdbcMigrates(TestDatabase db) throws Exception {
        seed(db);
        Path src = Files.createTempDirectory("querk-app-module");
        write(src.resolve("module-info.java"),
                "module app { requires io.querk.jdbc; requires org.postgresql.jdbc; requires java.naming; }");
        write(src.resolve("app/Main.java"), MAIN);
        Path out = src.resolve("out");
        List<Diagnostic<? extends JavaFileObject>> errors = compile(src, out, "--module-path", path(querkJars));
        assertTrue(errors.isEmpty(), errors.toString());

        List<Path> modules = new ArrayList<>(querkJars);
        modules.add(out);
        String output = run(List.of("--module-path", path(modules), "-m", "app/app.Main"), db);
        assertTrue(output.contains("module: io.querk.jdbc"), "Querk must run as the named module: " + output);
        assertTrue(output.contains("applied: 4"), output);
        assertEquals(50, labelled(db));
    }

    @Test
    void theSameApplicationMigratesOnTheClassPath(TestDatabase db) throws Exception {
        seed(db);
        Path src = Files.createTempDirectory("querk-app-classpath");
        write(src.resolve("app/Main.java"), MAIN);
        Path out = src.resolve("out");
        List<Diagnostic<? extends JavaFileObject>> errors = compile(src, out, "-classpath", path(querkJars));
        assertTrue(errors.isEmpty(), errors.toString());

        List<Path> classpath = new ArrayList<>(querkJars);
        classpath.add(out);
        String output = run(List.of("-classpath", path(classpath), "app.Main"), db);
        assertTrue(output.contains("module: null"), "on the class path Querk is in the unnamed module: " + output);
        assertTrue(output.contains("applied: 4"), output);
        assertEquals(50, labelled(db));
    }

    @Test
    void anInternalTypeCannotBeReachedFromAnotherModule() throws IOException {
        Path src = Files.createTempDirectory("querk-sneaky");
        write(src.resolve("module-info.java"), "module sneaky { requires io.querk.jdbc; }");
        write(src.resolve("sneaky/Sneaky.java"), SNEAKY);
        List<Diagnostic<? extends JavaFileObject>> errors = compile(src, src.resolve("out"), "--module-path",
                path(querkJars));
        assertFalse(errors.isEmpty(), "an internal package must not be visible to a user's module");
        String messages = errors.stream().map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
        assertTrue(messages.contains("package io.querk.jdbc.internal.run is not visible"), messages);
        assertTrue(messages.contains("does not export it"), messages);
    }

    private static void seed(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parcels (id bigint PRIMARY KEY, code text NOT NULL)");
            s.execute("INSERT INTO parcels SELECT g, 'p-' || g FROM generate_series(1, 50) g");
        }
    }

    private static long labelled(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM parcels WHERE label = upper(code)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Diagnostic<? extends JavaFileObject>> compile(Path src, Path out, String... options)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<File> files;
        try (var walk = Files.walk(src)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        List<String> args = new ArrayList<>(List.of(options));
        if (!args.contains("-classpath")) {
            // Else javac falls back to this JVM's class path, where every Querk type is visible.
            args.addAll(List.of("-classpath", Files.createDirectories(out.resolveSibling("no-classpath")).toString()));
        }
        args.addAll(List.of("-d", out.toString()));
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            javac.getTask(null, fm, diagnostics, args, null, fm.getJavaFileObjectsFromFiles(files)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    private static String run(List<String> javaArgs, TestDatabase db) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaArgs);
        cmd.addAll(List.of(db.jdbcUrl(), db.user(), db.password() == null ? "" : db.password()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the application did not end");
        String output = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static String path(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
