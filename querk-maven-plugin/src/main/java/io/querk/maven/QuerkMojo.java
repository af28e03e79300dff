package io.querk.maven;

import io.querk.QuerkException;
import io.querk.cli.internal.Workspace;
import io.querk.jdbc.Baseline;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every goal shares: the project's migrations (SQL files at {@code locations}, Java migrations
 * from the {@code MigrationProvider}s on the project's class path) and, for the goals that touch a
 * database, the connection and engine settings. Each goal is the command line's verb of the same name.
 */
abstract class QuerkMojo extends AbstractMojo {

    /** The project the goal runs for. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /**
     * Where the SQL files are: folders, {@code filesystem:PATH} or {@code classpath:FOLDER} (on the
     * project's class path, so after process-resources). Default: {@code src/main/resources/db/migration}
     * when that folder exists.
     */
    @Parameter(property = "querk.locations")
    List<String> locations = new ArrayList<>();

    /** Whether to look for Java migrations ({@code MigrationProvider}s) on the project's compiled class path. */
    @Parameter(property = "querk.providers", defaultValue = "true")
    boolean providers;

    /**
     * What the database already has: for the offline goals the id of the last migration applied
     * (plan and check leave it and those before out); for the goals that connect also {@code flyway}
     * or {@code liquibase} (optionally {@code :schema.table}), read from the database.
     */
    @Parameter(property = "querk.baseline")
    String baseline;

    /** Skips the goal. */
    @Parameter(property = "querk.skip", defaultValue = "false")
    boolean skip;

    /** The database, {@code jdbc:postgresql://host:5432/db}: a direct connection, not through a transaction pooler. */
    @Parameter(property = "querk.url")
    String url;

    /** The database user. */
    @Parameter(property = "querk.user")
    String user;

    /** The password; better given as {@code -Dquerk.password} or through the environment than in the POM. */
    @Parameter(property = "querk.password")
    String password;

    /** How long a statement that blocks the application may wait for its lock per attempt, in ms (engine default: 200). */
    @Parameter(property = "querk.lockTimeoutMs")
    Long lockTimeoutMs;

    /** The history table (engine default: {@code querk_history}). */
    @Parameter(property = "querk.historyTable")
    String historyTable;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("querk: skipped (querk.skip)");
            return;
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            run();
        } catch (QuerkException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The goal itself. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** @return the project's migrations, in run order */
    List<Migration> migrations() throws MojoExecutionException {
        List<String> locs = new ArrayList<>(locations);
        Path dflt = project.getBasedir().toPath().resolve("src/main/resources/db/migration");
        if (locs.isEmpty() && Files.isDirectory(dflt)) {
            locs.add(dflt.toString());
        }
        List<String> resolved = new ArrayList<>();
        for (String l : locs) {
            boolean relative = !l.startsWith("classpath:") && !l.startsWith("filesystem:") && !Path.of(l).isAbsolute();
            resolved.add(relative ? project.getBasedir().toPath().resolve(l).toString() : l);
        }
        List<Path> classpath = new ArrayList<>();
        if (providers) {
            try {
                for (String e : project.getRuntimeClasspathElements()) {
                    if (new File(e).exists()) {
                        classpath.add(Path.of(e));
                    }
                }
            } catch (DependencyResolutionRequiredException e) {
                throw new MojoExecutionException("The project's class path is not resolved: " + e.getMessage(), e);
            }
        }
        ClassLoader loader = Workspace.classLoader(classpath, getClass().getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        List<Migration> all = Workspace.migrations(resolved, loader);
        if (all.isEmpty()) {
            getLog().warn("querk: no migrations found (no V*.sql files in " + resolved + ", no MigrationProvider)");
        }
        return all;
    }

    /** @return the engine for the database at {@code url} */
    Querk querk(String contractThrough, boolean outOfOrder) throws MojoExecutionException {
        QuerkConfig.Builder b = QuerkConfig.custom().dataSource(Workspace.dataSource(url, user, password))
                .migrations(migrations()).outOfOrder(outOfOrder);
        if (baseline != null && !baseline.isBlank()) {
            b.baseline(Baseline.parse(baseline));
        }
        if (lockTimeoutMs != null) {
            b.lockTimeout(Duration.ofMillis(lockTimeoutMs));
        }
        if (historyTable != null) {
            b.historyTable(historyTable);
        }
        if (contractThrough != null && !contractThrough.isBlank()) {
            b.contractReleasedThrough(contractThrough);
        }
        return Querk.create(b.build());
    }

    /** Writes text to the build log, line by line. */
    void log(String text) {
        for (String line : text.split("\n", -1)) {
            getLog().info(line);
        }
    }
}
