package dev.s3music.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point of {@code music-server.jar}. Reads the environment once ({@link LauncherConfig}), then starts
 * what {@code ROLE} asks for ({@link MusicServer}). Exit codes: 0 after a graceful stop (SIGTERM, SIGINT), 2 for a
 * bad configuration (the message names the variable), 1 for a start that failed.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv(); // read once, here only
        try {
            Observability.checkLogFormat(env);
        } catch (ConfigException e) {
            // with a bad LOG_FORMAT logback has no appender: the logger would say nothing
            System.err.println("Bad configuration, not starting. " + e.getMessage());
            System.exit(2);
            return;
        }
        LauncherConfig config;
        try {
            config = LauncherConfig.fromEnv(env);
        } catch (ConfigException e) {
            LOG.error("Bad configuration, not starting. {}", e.getMessage());
            System.exit(2);
            return;
        }
        MusicServer server;
        try {
            server = MusicServer.start(config);
        } catch (ConfigException e) {
            LOG.error("Bad configuration, not starting. {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LOG.error("Start failed: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        handleStopSignals(server);
    }

    /**
     * SIGTERM and SIGINT start the graceful stop on a thread of its own, then exit 0. A shutdown hook cannot do
     * this: the JVM reports 143 for a SIGTERM that ran hooks, and the drain needs the JVM fully alive (logging,
     * Vert.x) for up to {@code SHUTDOWN_GRACE}. The hook stays as a backstop for other exits ({@code System.exit}
     * elsewhere, a second signal is ignored while the first stop runs).
     */
    private static void handleStopSignals(MusicServer server) {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            Thread t = new Thread(() -> {
                LOG.info("Stopping");
                server.shutdownGracefully();
                LOG.info("Stopped");
                System.exit(0);
            }, "graceful-stop");
            t.start();
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.run());
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} on this platform: {}", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
