package io.querk.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, run on a page: the DOM after it parsed and laid out the page, and a
 * screenshot. A test that needs it fails (never skips) when it is not installed.
 */
final class Chromium {

    static final Path BINARY = Path.of(System.getProperty("querk.test.chromium", "/usr/bin/chromium"));

    private Chromium() {
    }

    /** @return the DOM as Chromium serialises it after loading {@code page} */
    static String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        return run(page, profile, "--dump-dom");
    }

    /** Writes a screenshot of {@code page} at the given window size to {@code png}. */
    static void screenshot(Path page, Path profile, Path png, int width, int height)
            throws IOException, InterruptedException {
        run(page, profile, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("Chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path page, Path profile, String... extra) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("No Chromium at " + BINARY + ": install Debian's chromium package"
                    + " (apt-get install chromium) or point -Dquerk.test.chromium at one.");
        }
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile("chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish within 120 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Chromium exited with " + p.exitValue() + ": " + cmd);
        }
        return stdout;
    }
}
