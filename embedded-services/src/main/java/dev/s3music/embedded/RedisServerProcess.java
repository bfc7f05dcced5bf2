package dev.s3music.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Redis for tests and local clusters, with nothing kept on disk: a real {@code redis-server} (the Debian package)
 * on a free port of 127.0.0.1 when it is on the PATH; otherwise, when a Docker engine answers and Testcontainers is
 * on the classpath (test scope in every module), a {@code redis} container ({@link DockerRedis}). Docker is probed
 * only when {@code redis-server} cannot be started; the choice is logged once per JVM. It never touches a Redis the
 * machine already runs.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();
    private static final String REDIS_SERVER = "redis-server";
    /** Set once redis-server was found missing and Docker answered: later starts go straight to Docker. */
    private static volatile boolean useDocker;

    private final String host;
    private final int port;
    private final Runnable kill;
    private final Runnable stop;

    RedisServerProcess(String host, int port, Runnable kill, Runnable stop) {
        this.host = host;
        this.port = port;
        this.kill = kill;
        this.stop = stop;
    }

    /** A Redis on a free port: {@code redis-server} when it is on the PATH, else a Docker container (see above). */
    public static RedisServerProcess start() {
        return start(REDIS_SERVER);
    }

    /** {@link #start()} with another executable name (tests of the fallback; they leave the remembered choice alone). */
    static RedisServerProcess start(String executable) {
        if (!useDocker || !executable.equals(REDIS_SERVER)) {
            try {
                RedisServerProcess local = startLocal(executable, FreePorts.next());
                logChoice("redis-server from the PATH");
                return local;
            } catch (RedisServerMissing missing) {
                String docker = DockerRedis.unavailableReason();
                if (docker != null) {
                    throw new IllegalStateException("cannot start Redis for the tests: " + executable + " is not on the PATH ("
                        + missing.getCause().getMessage() + ") and " + docker
                        + "; install redis-server or start a Docker engine", missing.getCause());
                }
                if (executable.equals(REDIS_SERVER)) {
                    useDocker = true;
                }
            }
        }
        RedisServerProcess container = DockerRedis.start();
        logChoice("redis-server is not on the PATH: container " + DockerRedis.IMAGE + " through Testcontainers at "
            + container.uri());
        return container;
    }

    /** A {@code redis-server} on {@code port} of 127.0.0.1 (no Docker fallback: the port is fixed). */
    public static RedisServerProcess start(int port) {
        try {
            return startLocal(REDIS_SERVER, port);
        } catch (RedisServerMissing e) {
            throw new UncheckedIOException("cannot start redis-server (is the redis-server package installed?)",
                (IOException) e.getCause());
        }
    }

    private static void logChoice(String choice) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info("Redis for the tests: {}", choice);
        }
    }

    private static RedisServerProcess startLocal(String executable, int port) {
        Path dir;
        Process p;
        try {
            dir = Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            p = new ProcessBuilder(List.of(executable, "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--protected-mode", "no"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        } catch (IOException e) {
            // "Cannot run program": not on the PATH (or not executable)
            throw new RedisServerMissing(e);
        }
        awaitListening(p, port, dir);
        return new RedisServerProcess("127.0.0.1", port, p::destroyForcibly, () -> stop(p));
    }

    private static void awaitListening(Process process, int port, Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ", see " + dir);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** 127.0.0.1 for redis-server; the Docker host for a container. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code redis://host:port} */
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    /** Stops the server abruptly, as a crash would. */
    public void kill() {
        kill.run();
    }

    @Override
    public void close() {
        stop.run();
    }

    private static final class RedisServerMissing extends RuntimeException {
        RedisServerMissing(IOException cause) {
            super(cause);
        }
    }
}
