package io.querk.plan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference pages under docs/reference are generated from the planner itself, so they
 * cannot drift from what Querk does. This test fails when a page is stale; run
 * {@code mvn -pl querk-core test -Dtest=ReferenceDocsTest -Dquerk.docs.update=true} to rewrite them.
 */
class ReferenceDocsTest {

    private static final Path DOCS = Path.of("../docs/reference");

    @Test
    void hazardReferenceIsUpToDate() throws IOException {
        check("hazards.md", ReferenceDocs.hazards());
    }

    @Test
    void stepReferenceIsUpToDate() throws IOException {
        check("steps.md", ReferenceDocs.steps());
    }

    private static void check(String name, String expected) throws IOException {
        Path file = DOCS.resolve(name);
        if (Boolean.getBoolean("querk.docs.update")) {
            Files.createDirectories(DOCS);
            Files.writeString(file, expected);
        }
        String actual = Files.exists(file) ? Files.readString(file) : "";
        assertEquals(expected, actual, "docs/reference/" + name + " is out of date with the planner; regenerate it with"
                + " mvn -pl querk-core test -Dtest=ReferenceDocsTest -Dquerk.docs.update=true");
    }
}
