package io.querk.cli;

import io.querk.cli.internal.Workspace;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command in-process: Java and SQL migrations in one list, the verbs' outputs and exit codes. */
class QuerkCliTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = QuerkCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void javaMigrationsFromServiceLoaderAndSqlFilesMixInOneOrder() {
        List<Migration> all = Workspace.migrations(List.of("classpath:cli-sql"), getClass().getClassLoader());
        assertEquals(List.of("1", "2", "3"), all.stream().map(Migration::id).toList());
    }

    @Test
    void twoMigrationsWithOneIdAreRefusedNamingBoth(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V2__note.sql"), "ALTER TABLE orders ADD COLUMN note text;");
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> Workspace.migrations(List.of(dir.toString()), getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("Two migrations have the id '2'") && e.getMessage().contains("a MigrationProvider"),
                e.getMessage());
    }

    @Test
    void planAndCheckPrintForPeopleAndTools() {
        Result plan = run("plan", "-l", "classpath:cli-sql", "--server", "16");
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(plan.out().contains("rewritten from: CREATE INDEX orders_placed_idx ON orders (placed_at)"), plan.out());
        Result check = run("check", "-l", "classpath:cli-sql", "--json");
        assertEquals(0, check.exit(), check.err());
        assertEquals(5, check.out().split("\"format\": \"querk-plan/1\"", -1).length - 1, "one plan per version 14..18");
    }

    @Test
    void exitCodesSayWhatWentWrong(@TempDir Path dir) throws Exception {
        assertEquals(2, run("plan", "--no-such-option").exit());
        assertEquals(2, run().exit(), "no verb");
        Files.writeString(dir.resolve("V1__bad.sql"), "ALTR TABLE t ADD COLUMN c int;");
        Result bad = run("check", "-l", dir.toString(), "--json");
        assertEquals(3, bad.exit());
        assertTrue(bad.out().contains("\"format\": \"querk-error/1\"") && bad.out().contains("V1__bad.sql:1"), bad.out());
        Files.writeString(dir.resolve("V1__bad.sql"), "VACUUM FULL audit_log;");
        Result refused = run("check", "-l", dir.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("-- querk:override vacuum-full because"), refused.err());
        assertEquals(3, run("plan", "-l", dir.toString(), "--baseline", "flyway").exit(), "offline needs an id");
        Result help = run("check", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("EXIT STATUS") && help.out().contains("SYNOPSIS"), help.out());
    }
}
