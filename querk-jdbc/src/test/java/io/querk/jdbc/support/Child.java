package io.querk.jdbc.support;

import io.querk.testkit.postgres.TestDatabase;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link ChildRunner}, with its output collected. */
public final class Child implements AutoCloseable {

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final Thread reader;

    private Child(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    public static Child start(TestDatabase db, long pauseMillis, boolean waitForGo) throws IOException {
        return start(db, "workload", pauseMillis, waitForGo);
    }

    public static Child start(TestDatabase db, String scenario, long pauseMillis, boolean waitForGo) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ChildRunner.class.getName(), db.jdbcUrl(), db.user(),
                scenario, Long.toString(pauseMillis)));
        if (waitForGo) {
            cmd.add("wait");
        }
        return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits until the child printed a line starting with {@code prefix}. */
    public void awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (output) {
            while (output.stream().noneMatch(l -> l.startsWith(prefix))) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("child did not print " + prefix + "; output: " + output);
                }
                output.wait(Math.min(left, 200));
            }
        }
    }

    public void go() throws IOException {
        Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        w.write("go\n");
        w.flush();
    }

    /** Sends SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child still running after " + seconds + " s; output: " + output());
        }
        return process.exitValue();
    }

    public String output() throws InterruptedException {
        reader.join(5000);
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
