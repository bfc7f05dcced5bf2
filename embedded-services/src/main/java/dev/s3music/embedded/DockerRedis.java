package dev.s3music.embedded;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker side of {@link RedisServerProcess}: a {@code redis} container started through Testcontainers. The
 * Testcontainers dependency of this module is optional (so the launcher's shaded jar never holds it), and this class
 * is only loaded after {@code redis-server} was found missing: {@link #unavailableReason()} checks first that
 * Testcontainers is on the classpath (the modules' tests have it in test scope).
 */
final class DockerRedis {

    static final String IMAGE = "redis:7-alpine";
    private static final int REDIS_PORT = 6379;

    private DockerRedis() {
    }

    /** Null when a container can be started, else why not (one line). */
    static String unavailableReason() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerRedis.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "Testcontainers is not on the classpath";
        }
        return Probe.dockerAvailable() ? null : "no Docker engine answers";
    }

    static RedisServerProcess start() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withExposedPorts(REDIS_PORT)
            .withCommand("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no")
            .waitingFor(Wait.forListeningPort());
        container.start();
        return new RedisServerProcess(container.getHost(), container.getMappedPort(REDIS_PORT),
            () -> container.getDockerClient().killContainerCmd(container.getContainerId()).exec(),
            container::stop);
    }

    /** Separate, so that {@link #unavailableReason()} can run its classpath check before any Testcontainers type loads. */
    private static final class Probe {
        static boolean dockerAvailable() {
            return DockerClientFactory.instance().isDockerAvailable();
        }
    }
}
