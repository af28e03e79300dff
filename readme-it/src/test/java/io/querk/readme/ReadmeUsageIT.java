package io.querk.readme;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Using it" section, done the way a new user does it: a Maven project of its own
 * with the README's dependency snippet in its pom and the README's example (its imports and code)
 * in a class, built and run by a real {@code mvn} in a child process, against the local
 * repository this build installed the artifacts into (invoker:install, as {@code mvn install}
 * would). The example then migrates a table on the test's PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class ReadmeUsageIT {

    private static final Path ROOT = Path.of(System.getProperty("querk.readme.root", "..")).toAbsolutePath().normalize();
    // The plugin versions the project's own build uses (root pom), so that the offline child finds them.
    private static final String COMPILER = "3.14.1";
    private static final String RESOURCES = "3.3.1";
    private static final String EXEC = "3.6.3";

    @Test
    void theReadmesSnippetAndExampleBuildAndMigrateInAProjectOfTheirOwn(TestDatabase db) throws Exception {
        String usage = section(Files.readString(ROOT.resolve("README.md")), "## Using it");
        String snippet = firstBlock(usage, "xml");
        String example = firstBlock(usage, "java");
        assertTrue(snippet.contains("<artifactId>querk-bom</artifactId>") && snippet.contains("<artifactId>querk-jdbc</artifactId>"),
                "the snippet names the BOM and the engine: " + snippet);

        Path project = Files.createTempDirectory("querk-readme-user");
        Files.writeString(project.resolve("pom.xml"), pom(snippet));
        Path main = project.resolve("src/main/java/readme/ReadmeExample.java");
        Files.createDirectories(main.getParent());
        Files.writeString(main, exampleClass(example));

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shipments (id bigint PRIMARY KEY, destination text NOT NULL)");
            s.execute("INSERT INTO shipments SELECT g, 'City ' || g || ', Street ' || g FROM generate_series(1, 500) g");
        }

        String output = mvn(project, "test-compile", "exec:java", "-Dexec.mainClass=readme.ReadmeExample",
                "-Dexec.args=" + db.jdbcUrl() + " " + db.user() + " " + db.password());
        assertTrue(output.contains("BUILD SUCCESS"), output);
        assertEquals(500, count(db, "SELECT count(*) FROM shipments WHERE dest_city = split_part(destination, ',', 1)"),
                "the example's migration ran: expand, then its backfill");
        assertEquals(1, count(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'shipments_dest_city_idx'"));
        assertFalse(output.contains("[WARNING] The POM for io.querk"), "the installed POMs are complete: " + output);
    }

    /** The README's snippet inside a project of the user's: nothing of Querk's but what the README says. */
    private static String pom(String snippet) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>readme-user</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <build>
                    <plugins>
                      <plugin><artifactId>maven-compiler-plugin</artifactId><version>%s</version></plugin>
                      <plugin><artifactId>maven-resources-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>%s</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(snippet, COMPILER, RESOURCES, EXEC);
    }

    /** The example's imports at the top of a class; its code in main, with the DataSource it assumes. */
    private static String exampleClass(String example) {
        List<String> imports = new ArrayList<>();
        List<String> body = new ArrayList<>();
        for (String line : example.split("\n")) {
            (line.startsWith("import ") ? imports : body).add(line);
        }
        assertFalse(imports.isEmpty(), "the README's example starts with its imports");
        return "package readme;\n\n" + String.join("\n", imports) + "\nimport org.postgresql.ds.PGSimpleDataSource;\n\n"
                + "public class ReadmeExample {\n"
                + "    public static void main(String[] args) {\n"
                + "        PGSimpleDataSource dataSource = new PGSimpleDataSource();\n"
                + "        dataSource.setURL(args[0]);\n"
                + "        dataSource.setUser(args[1]);\n"
                + "        dataSource.setPassword(args.length > 2 ? args[2] : \"\");\n"
                + String.join("\n", body) + "\n"
                + "    }\n}\n";
    }

    private static String mvn(Path project, String... goals) throws IOException, InterruptedException {
        String home = System.getProperty("maven.home");
        String exe = home == null ? "mvn" : Path.of(home, "bin", "mvn").toString();
        // Not offline: a user's build reaches Maven Central for what the local repository lacks.
        List<String> cmd = new ArrayList<>(List.of(exe, "-B", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("querk.readme.repository")));
        cmd.addAll(List.of(goals));
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "mvn finished");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mvn " + String.join(" ", goals) + " failed:\n" + text);
        return text;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has a section " + heading);
        int end = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String firstBlock(String markdown, String language) {
        Matcher m = Pattern.compile("(?s)```" + language + "\n(.*?)```").matcher(markdown);
        assertTrue(m.find(), "a ```" + language + " block");
        return m.group(1);
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
