package io.querk.cli;

import io.querk.Api;
import io.querk.cli.internal.Commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The {@code querk} command: {@code java -jar querk.jar <verb> [options]}, with the verbs plan,
 * check, migrate, status, abort, repair and review. {@code querk --help} and
 * {@code querk <verb> --help} describe them; {@code docs/cli.md} has the exit codes and examples.
 *
 * <p>In-house tools can run it in their own JVM through {@link #run(PrintWriter, PrintWriter, String...)},
 * which returns the exit code instead of exiting.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class QuerkCli {

    private QuerkCli() {
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the verb and its options
     */
    public static void main(String[] args) {
        quietLogs(args);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param out  where the verb's result goes
     * @param err  where errors go
     * @param args the verb and its options
     * @return the exit code (docs/cli.md)
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Commands.commandLine(out, err).execute(args);
    }

    /**
     * The engine logs its plan and each step through SLF4J; on a terminal the verb prints its own
     * result, so the plan's log line is left out and, for {@code --json}, everything below a warning.
     * Settings given with {@code -D} win.
     */
    private static void quietLogs(String[] args) {
        boolean json = java.util.Arrays.asList(args).contains("--json");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", json ? "warn" : "info");
        setIfAbsent("org.slf4j.simpleLogger.log.io.querk.plan", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
