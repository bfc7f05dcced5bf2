package dev.s3music.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of {@code music-server.jar}. Reads the environment once ({@link LauncherConfig}), then starts
 * what {@code ROLE} asks for. Exit codes: 2 for a bad configuration (the message names the variable), 1 for a
 * start that failed.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        LauncherConfig config;
        try {
            config = LauncherConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            LOG.error("Bad configuration, not starting. {}", e.getMessage());
            System.exit(2);
            return;
        }
        switch (config.role()) {
            case ALL -> runAllInOne(config);
            // issue 5: api, indexer and metadata-worker get their own launchers here
            default -> {
                LOG.error("Bad configuration, not starting. ROLE: '{}' is not available in this build yet; use ROLE=all",
                    config.role().value());
                System.exit(2);
            }
        }
    }

    private static void runAllInOne(LauncherConfig config) {
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(config);
        } catch (ConfigException e) {
            LOG.error("Bad configuration, not starting. {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LOG.error("Start failed: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        // SIGTERM and SIGINT run shutdown hooks: stop serving, then stop S3Proxy and ElasticMQ
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping");
            server.close();
            LOG.info("Stopped");
        }, "shutdown"));
    }
}
