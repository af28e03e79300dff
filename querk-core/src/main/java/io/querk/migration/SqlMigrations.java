package io.querk.migration;

import io.querk.Api;
import io.querk.internal.sqlfile.SqlFileParser;
import io.querk.internal.step.StepDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Migrations read from SQL files named the way Flyway users name them,
 * {@code V<version>__<description>.sql}: each file is one {@link Migration} whose id is its
 * version ({@code V21__orders_created_index.sql} has the id {@code 21}; {@code V1_2} and
 * {@code V1.2} are both {@code 1.2}). They mix with Java migrations in one list, ordered by
 * {@link Migration#ID_ORDER}.
 *
 * <pre>{@code
 * List<Migration> migrations = SqlMigrations.load("classpath:db/migration", getClass().getClassLoader());
 * Querk.create(QuerkConfig.custom().dataSource(ds).migrations(migrations).build()).migrate();
 * }</pre>
 *
 * <p>Every statement goes through the safety planner and the lock guard like a typed step. A
 * statement whose safe form means exactly the same is rewritten into it, and the plan shows the
 * rewrite: a plain {@code CREATE INDEX} runs {@code CONCURRENTLY}, {@code ADD CONSTRAINT ... CHECK}
 * and {@code ... FOREIGN KEY} run {@code NOT VALID} then {@code VALIDATE}, {@code SET NOT NULL} runs
 * through a validated check. Anything else that would block or break the running application is
 * refused unless a marker accepts it with a reason. Comment markers put statements in phases:
 *
 * <pre>
 * -- querk:expand            (the default)
 * ALTER TABLE orders ADD COLUMN token uuid;
 * -- querk:backfill
 * UPDATE orders SET token = gen_random_uuid() WHERE token IS NULL;
 * -- querk:contract
 * -- querk:override vacuum-full because audit_log holds 2,000 rows; the lock lasts milliseconds
 * VACUUM FULL audit_log;
 * </pre>
 *
 * <p>Each phase's checksum is taken over its statements as written: editing a file after it was
 * applied is refused when the engine next runs. The full reference is {@code docs/sql-files.md}.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class SqlMigrations {

    /** Where Flyway looks by default, and so where an adopting project keeps its files. */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private SqlMigrations() {
    }

    /**
     * Reads a location: {@code classpath:db/migration}, {@code filesystem:/srv/app/sql}, or a
     * plain file-system path.
     *
     * @param location    where the files are
     * @param classLoader for {@code classpath:} locations
     * @return one migration per {@code V...sql} file, in {@link Migration#ID_ORDER}
     * @throws MigrationDefinitionException if the location does not exist, a file cannot be read,
     *                                      is misnamed or holds SQL that cannot be read, or two files
     *                                      have the same version
     */
    public static List<Migration> load(String location, ClassLoader classLoader) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith("classpath:")) {
            return fromClasspath(location.substring("classpath:".length()), classLoader);
        }
        String path = location.startsWith("filesystem:") ? location.substring("filesystem:".length()) : location;
        return fromDirectory(Path.of(path));
    }

    /**
     * @param directory a folder; its sub-folders are read too
     * @return one migration per {@code V...sql} file, in {@link Migration#ID_ORDER}
     * @throws MigrationDefinitionException if the folder does not exist or a file is not usable
     */
    public static List<Migration> fromDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new MigrationDefinitionException("The SQL migration location " + directory.toAbsolutePath()
                    + " is not a folder; create it or point the location at the folder holding V*.sql files.");
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = directory.relativize(p).toString().replace('\\', '/');
                if (rel.endsWith(".sql")) {
                    files.put(rel, Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new MigrationDefinitionException("Could not read the SQL migrations in " + directory + ": " + e
                    + ".");
        }
        return parseAll(files, directory.toString());
    }

    /**
     * @param location    a resource folder, e.g. {@code db/migration}; every class-path entry holding it
     *                    (folders and jars) is read
     * @param classLoader where to look
     * @return one migration per {@code V...sql} file, in {@link Migration#ID_ORDER}
     * @throws MigrationDefinitionException if no class-path entry holds the folder, or a file is not usable
     */
    public static List<Migration> fromClasspath(String location, ClassLoader classLoader) {
        String folder = location.replaceAll("^/+", "").replaceAll("/+$", "");
        Map<String, String> files = new TreeMap<>();
        try {
            List<URL> roots = Collections.list(Objects.requireNonNull(classLoader, "classLoader").getResources(folder));
            if (roots.isEmpty()) {
                throw new MigrationDefinitionException("No folder classpath:" + folder + " is on the class path; put"
                        + " the V*.sql files under src/main/resources/" + folder + " or name another location.");
            }
            for (URL root : roots) {
                if (root.getProtocol().equals("file")) {
                    Path dir = Path.of(root.toURI());
                    try (Stream<Path> walk = Files.walk(dir)) {
                        for (Path p : walk.filter(Files::isRegularFile).toList()) {
                            String rel = dir.relativize(p).toString().replace('\\', '/');
                            if (rel.endsWith(".sql")) {
                                put(files, rel, Files.readString(p, StandardCharsets.UTF_8));
                            }
                        }
                    }
                } else if (root.getProtocol().equals("jar")) {
                    JarURLConnection conn = (JarURLConnection) root.openConnection();
                    conn.setUseCaches(false);
                    try (JarFile jar = conn.getJarFile()) {
                        for (JarEntry e : Collections.list(jar.entries())) {
                            if (!e.isDirectory() && e.getName().startsWith(folder + "/") && e.getName().endsWith(".sql")) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    put(files, e.getName().substring(folder.length() + 1),
                                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                } else {
                    throw new MigrationDefinitionException("classpath:" + folder + " is at " + root + ", whose kind ("
                            + root.getProtocol() + ") Querk cannot list; use a folder or a jar.");
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new MigrationDefinitionException("Could not read the SQL migrations in classpath:" + folder + ": "
                    + e + ".");
        }
        return parseAll(files, "classpath:" + folder);
    }

    /**
     * Reads one file's content.
     *
     * @param fileName its name, {@code V<version>__<description>.sql}, optionally after folders
     * @param sql      its content
     * @return the migration
     * @throws MigrationDefinitionException naming the file and line of the first problem
     */
    public static Migration parse(String fileName, String sql) {
        SqlFileParser.Parsed p = SqlFileParser.parse(Objects.requireNonNull(fileName, "fileName"),
                Objects.requireNonNull(sql, "sql"));
        Map<StepDefinition, StepSource> sources = p.sources();
        return Migration.fromSqlFile(p.id(), p.description(), p.declared(), p.checksums(), fileName, sources);
    }

    private static void put(Map<String, String> files, String rel, String content) {
        if (files.containsKey(rel)) {
            throw new MigrationDefinitionException(rel + " is on the class path twice (in two jars or folders); keep"
                    + " one copy.");
        }
        files.put(rel, content);
    }

    private static List<Migration> parseAll(Map<String, String> files, String where) {
        List<Migration> out = new ArrayList<>();
        Map<String, String> byVersion = new HashMap<>();
        List<String> misnamed = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            String name = f.getKey().substring(f.getKey().lastIndexOf('/') + 1);
            if (!SqlFileParser.isMigration(name)) {
                misnamed.add(f.getKey());
                continue;
            }
            Migration m = parse(f.getKey(), f.getValue());
            String other = byVersion.put(SqlFileParser.versionKey(m.id()), f.getKey());
            if (other != null) {
                throw new MigrationDefinitionException(other + " and " + f.getKey() + " in " + where + " have the same"
                        + " version " + m.id() + "; give one of them the next free version.");
            }
            out.add(m);
        }
        if (!misnamed.isEmpty()) {
            throw new MigrationDefinitionException("In " + where + ", " + String.join(", ", misnamed) + (misnamed.size() == 1
                    ? " is" : " are") + " not named V<version>__<description>.sql, so Querk would never run "
                    + (misnamed.size() == 1 ? "it" : "them") + "; rename or move " + (misnamed.size() == 1 ? "it." : "them."));
        }
        out.sort((a, b) -> Migration.ID_ORDER.compare(a.id(), b.id()));
        return List.copyOf(out);
    }
}
