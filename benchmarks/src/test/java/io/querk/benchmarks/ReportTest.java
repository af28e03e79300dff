package io.querk.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void aBenchmarkRewritesOnlyItsOwnSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("benchmarks.md");
        Report.write(file, "a", "A", "first a");
        Report.write(file, "b", "B", "first b");
        Report.write(file, "a", "A", "second a");
        String text = Files.readString(file);
        assertTrue(text.startsWith("# Benchmarks"), text);
        assertTrue(text.contains("second a") && text.contains("first b"), text);
        assertFalse(text.contains("first a"), text);
        assertEquals(1, text.split("<!-- benchmark:a -->", -1).length - 1);
        assertTrue(text.indexOf("## A") < text.indexOf("## B"), "sections keep their places");
    }
}
