package io.querk.cli.internal;

import io.querk.jdbc.Baseline;
import io.querk.jdbc.QuerkConfigException;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.MigrationProvider;
import io.querk.migration.SqlMigrations;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the command line and the Maven plugin share: the project's migrations (SQL files at their
 * locations and Java migrations from {@link MigrationProvider}s on a class path, in one ordered
 * list), the offline baseline, and a connection from a JDBC URL. The verbs themselves are the
 * engine's and the planner's public API.
 */
public final class Workspace {

    private Workspace() {
    }

    /**
     * @param locations   SQL-file locations ({@code classpath:db/migration}, a folder path)
     * @param classLoader where {@code classpath:} locations and {@link MigrationProvider}s are looked
     *                    up: one over the project's classes and jars
     * @return every migration, in run order
     * @throws MigrationDefinitionException if two migrations share an id, or a location or provider fails
     */
    public static List<Migration> migrations(List<String> locations, ClassLoader classLoader) {
        List<Migration> all = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        for (String location : locations) {
            for (Migration m : SqlMigrations.load(location, classLoader)) {
                add(all, origin, m, location + "/" + m.sourceFile().orElse(m.id()));
            }
        }
        for (Migration m : MigrationProvider.loadAll(classLoader)) {
            add(all, origin, m, "a MigrationProvider");
        }
        all.sort((a, b) -> Migration.ID_ORDER.compare(a.id(), b.id()));
        return List.copyOf(all);
    }

    private static void add(List<Migration> all, Map<String, String> origin, Migration m, String from) {
        String other = origin.putIfAbsent(m.id(), from);
        if (other != null) {
            throw new MigrationDefinitionException("Two migrations have the id '" + m.id() + "': " + other + " and "
                    + from + ". Ids must be unique; give one of them the next free id.");
        }
        all.add(m);
    }

    /**
     * @param entries jars and class folders
     * @param parent  the loader of Querk's own classes, so that the project's migrations are Querk's types
     * @return a loader over the entries (parent first), or {@code parent} if there are none
     */
    public static ClassLoader classLoader(List<Path> entries, ClassLoader parent) {
        if (entries.isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (Path p : entries) {
            if (!Files.exists(p)) {
                throw new QuerkConfigException("The class path entry " + p + " does not exist.");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new QuerkConfigException("The class path entry " + p + " is not usable: " + e.getMessage());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    /**
     * The offline form of a baseline: without a database, only an id can say what is applied.
     *
     * @param migrations every migration, in run order
     * @param baseline   {@code null}, or the id of the last migration the database already has
     * @return the migrations after the baseline
     * @throws QuerkConfigException for {@code flyway} or {@code liquibase}, which need the database
     */
    public static List<Migration> afterBaseline(List<Migration> migrations, String baseline) {
        if (baseline == null || baseline.isBlank()) {
            return migrations;
        }
        Baseline b = Baseline.parse(baseline);
        if (b.kind() != Baseline.Kind.THROUGH) {
            throw new QuerkConfigException("The baseline '" + baseline + "' is read from the database, and this plan"
                    + " is made offline: give the id of the last migration the database already has (for example"
                    + " 20), or plan against the database with a JDBC URL.");
        }
        String through = b.throughId().orElseThrow();
        return migrations.stream().filter(m -> Migration.ID_ORDER.compare(m.id(), through) > 0).toList();
    }

    /**
     * @param url      a {@code jdbc:postgresql://} URL; user and password may be in it
     * @param user     the user, or null
     * @param password the password, or null
     * @return a data source opening a connection per borrow (no pool: a run needs two at most)
     * @throws QuerkConfigException if the URL is missing or not PostgreSQL's
     */
    public static DataSource dataSource(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            throw new QuerkConfigException("No database: give a JDBC URL (jdbc:postgresql://host:5432/db).");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new QuerkConfigException("'" + url + "' is not a PostgreSQL JDBC URL; write"
                    + " jdbc:postgresql://host:5432/database.");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (user != null && !user.isBlank()) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setApplicationName("querk");
        return ds;
    }
}
