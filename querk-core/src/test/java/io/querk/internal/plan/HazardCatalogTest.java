package io.querk.internal.plan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The catalog, which overrides are checked against, lists exactly the codes the planner can report. */
class HazardCatalogTest {

    private static final Pattern CODE = Pattern.compile("new Hazard\\(\"([a-z-]+)\"");

    @Test
    void listsEveryCodeThePlannerRaisesAndNoOther() throws IOException {
        Set<String> raised = new TreeSet<>();
        Path dir = Path.of("src/main/java/io/querk/internal/plan");
        for (String file : new String[] {"Hazards.java", "StepPlanner.java"}) {
            Matcher m = CODE.matcher(Files.readString(dir.resolve(file)));
            while (m.find()) {
                raised.add(m.group(1));
            }
        }
        assertEquals(raised, new TreeSet<>(HazardCatalog.codes()));
    }
}
