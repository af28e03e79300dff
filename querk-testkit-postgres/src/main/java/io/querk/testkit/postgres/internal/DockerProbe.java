package io.querk.testkit.postgres.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a Docker engine answers. Testcontainers is asked only when there is a sign of an
 * engine (DOCKER_HOST, a socket, a Testcontainers configuration), because asking it on a
 * machine without one costs seconds of retries and log noise.
 */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean answers() {
        if (!hasSignOfDocker()) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    static boolean hasSignOfDocker() {
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")))
                || Files.exists(Path.of(home, ".testcontainers.properties"));
    }
}
