package io.querk.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the machine a benchmark ran on. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpu = info.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (Exception ignored) {
            // Not Linux: the JVM's view below still says something.
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), "
                + (memKb > 0 ? (memKb / 1024 / 1024) + " GiB RAM, " : "")
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }
}
