package dev.s3music.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

import java.util.Properties;

/**
 * The Hazelcast configuration of a clustered process.
 *
 * <p>It starts from vertx-hazelcast's own {@code default-cluster.xml} (the maps and multimap Vert.x needs), loaded
 * through {@link Config#loadFromClasspath(ClassLoader, String, Properties)}: that loader applies Hazelcast's
 * "override with environment variables" ({@code HZ_NETWORK_JOIN_AWS_ENABLED}, {@code HZ_NETWORK_JOIN_AWS_CLUSTER},
 * {@code HZ_NETWORK_PORT_PORT}, ... and {@code hz.*} system properties), which the ECS task definitions use for
 * AWS/ECS discovery. vertx-hazelcast's {@code ConfigUtil.loadConfig()} uses {@code XmlConfigBuilder}, which applies
 * no overrides, hence this class. Then, only for what our own variables set: {@code CLUSTER_MEMBERS} switches to a
 * TCP/IP join with multicast and auto-detection off, {@code CLUSTER_HOST} pins the interface,
 * {@code CLUSTER_JOIN_WAIT} sets {@code hazelcast.wait.seconds.before.join}.
 */
final class HazelcastConfigs {

    /** vertx-hazelcast's configuration, on the classpath of its jar. */
    static final String VERTX_DEFAULT = "default-cluster.xml";
    /**
     * A plain member host is tried on this many ports from the member port up (Hazelcast's default is 3): a local
     * cluster of eight processes on one host takes 5701 to 5708.
     */
    static final int PORT_TRY_COUNT = 20;

    private HazelcastConfigs() {
    }

    static Config build(LauncherConfig.Cluster cluster, Properties systemProperties) {
        Config config = Config.loadFromClasspath(HazelcastConfigs.class.getClassLoader(), VERTX_DEFAULT,
            systemProperties);
        // the launcher's SIGTERM handling leaves the cluster itself, after the drain; Hazelcast's own hook would
        // leave at once, while streams are still finishing
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // no phone-home from a library inside someone's server
        config.setProperty("hazelcast.phone.home.enabled", "false");
        cluster.joinWait().ifPresent(w ->
            config.setProperty("hazelcast.wait.seconds.before.join", String.valueOf(Math.max(0, w.toSeconds()))));
        NetworkConfig network = config.getNetworkConfig();
        cluster.host().ifPresent(host -> network.getInterfaces().setEnabled(true).addInterface(host));
        if (!cluster.members().isEmpty()) {
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getAwsConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
            config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(PORT_TRY_COUNT));
        }
        return config;
    }
}
