package dev.s3music.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM ({@code java -jar music-server.jar}) started with an explicit environment, its output (stdout and
 * stderr) written to a file. {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM (what {@link Process#destroy()}
 * sends on Linux).
 */
final class ServerProcess {

    /** Variables kept from the test JVM's environment; everything else comes from the caller. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "USER");

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private ServerProcess(String name, Process process, Path log, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar>} with only {@code env} (plus PATH and friends) in its environment.
     *
     * @param httpPort the {@code HTTP_PORT} it was given (where its API and health answer)
     */
    static ServerProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env, int httpPort,
                               Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(logDir.toFile());
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = System.getenv();
        environment.clear();
        for (String variable : INHERITED) {
            if (inherited.containsKey(variable)) {
                environment.put(variable, inherited.get(variable));
            }
        }
        environment.putAll(env);
        return new ServerProcess(name, builder.start(), log, httpPort);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM: the server's graceful shutdown. */
    void terminate() {
        process.destroy();
    }

    /** Waits at most {@code bound} for the process to exit; the exit code, or -1 when it is still running. */
    int awaitExit(Duration bound) throws InterruptedException {
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL if still alive, then waits a little for the exit. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path log() {
        return log;
    }

    /** The last {@code lines} lines of its output. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", http " + httpPort + (process.isAlive() ? "" : ", exited") + ")";
    }
}
