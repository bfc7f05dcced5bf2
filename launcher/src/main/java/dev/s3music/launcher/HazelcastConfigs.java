package dev.s3music.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hazelcast configuration of a clustered process.
 *
 * <p>It starts from vertx-hazelcast's own {@code default-cluster.xml} (the maps and multimap Vert.x needs), loaded
 * through {@link Config#loadFromString(String, Properties)}: that loader applies Hazelcast's
 * "override with environment variables" ({@code HZ_NETWORK_JOIN_AWS_ENABLED}, {@code HZ_NETWORK_JOIN_AWS_CLUSTER},
 * {@code HZ_NETWORK_PORT_PORT}, ... and {@code hz.*} system properties), which the ECS task definitions use for
 * AWS/ECS discovery. vertx-hazelcast's {@code ConfigUtil.loadConfig()} uses {@code XmlConfigBuilder}, which applies
 * no overrides, hence this class. Then, only for what our own variables set: {@code CLUSTER_MEMBERS} switches to a
 * TCP/IP join with multicast and auto-detection off, {@code CLUSTER_HOST} pins the interface,
 * {@code CLUSTER_JOIN_WAIT} sets {@code hazelcast.wait.seconds.before.join}.
 *
 * <p>Multicast is never the implicit join. vertx-hazelcast's file says {@code <multicast/>} (enabled, on every
 * interface, with no member authentication: any host on the network could join and read or send on the event bus),
 * and Hazelcast's auto-detection falls back to it. The file is loaded with multicast and auto-detection off; an
 * explicit join must come from {@code CLUSTER_MEMBERS} or a Hazelcast override ({@code HZ_NETWORK_JOIN_AWS_ENABLED=true}
 * on ECS, {@code HZ_NETWORK_JOIN_TCPIP_*}, ... or {@code HZ_NETWORK_JOIN_MULTICAST_ENABLED=true} as a deliberate
 * choice on a network that is yours). With none, {@link #build} refuses the start ({@link ConfigException}).
 */
final class HazelcastConfigs {

    /** vertx-hazelcast's configuration, on the classpath of its jar. */
    static final String VERTX_DEFAULT = "default-cluster.xml";
    /**
     * A plain member host is tried on this many ports from the member port up (Hazelcast's default is 3): a local
     * cluster of eight processes on one host takes 5701 to 5708.
     */
    static final int PORT_TRY_COUNT = 20;
    private static final Pattern IMPLICIT_JOIN = Pattern.compile("<join>\\s*<multicast\\s*/>\\s*</join>");

    private HazelcastConfigs() {
    }

    static Config build(LauncherConfig.Cluster cluster, Properties systemProperties) {
        Config config = Config.loadFromString(withoutImplicitJoin(vertxDefault()), systemProperties);
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
        } else if (!hasExplicitJoin(network.getJoin())) {
            throw new ConfigException("CLUSTER_MEMBERS", "is required with CLUSTERED=true unless a Hazelcast join is "
                + "set explicitly (e.g. HZ_NETWORK_JOIN_AWS_ENABLED=true on AWS): list the members' hosts, e.g. "
                + "CLUSTER_MEMBERS=10.0.0.1,10.0.0.2. Multicast is never the implicit join (it lets any host on the "
                + "network join the event bus, with no authentication); opt in with "
                + "HZ_NETWORK_JOIN_MULTICAST_ENABLED=true only on a network that is yours");
        }
        return config;
    }

    /** Whether some join method is on after the overrides (multicast only if an override turned it back on). */
    static boolean hasExplicitJoin(JoinConfig join) {
        return join.getTcpIpConfig().isEnabled() || join.getMulticastConfig().isEnabled()
            || join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled() || join.getAzureConfig().isEnabled()
            || join.getKubernetesConfig().isEnabled() || join.getEurekaConfig().isEnabled()
            || !join.getDiscoveryConfig().getDiscoveryStrategyConfigs().isEmpty();
    }

    private static String vertxDefault() {
        try (InputStream in = HazelcastConfigs.class.getClassLoader().getResourceAsStream(VERTX_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException(VERTX_DEFAULT + " is not on the classpath (vertx-hazelcast missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * vertx-hazelcast's {@code <join><multicast/></join>} with multicast and auto-detection off, so that only an
     * override (environment or system property, applied by {@link Config#loadFromString(String, Properties)}) can
     * turn a join on. Fails loudly if the file no longer has the shape this expects (a vertx-hazelcast upgrade).
     */
    static String withoutImplicitJoin(String xml) {
        Matcher m = IMPLICIT_JOIN.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException(VERTX_DEFAULT + " changed: its join section is not '<join><multicast/>"
                + "</join>'; review HazelcastConfigs.withoutImplicitJoin");
        }
        return m.replaceFirst("<join><auto-detection enabled=\"false\"/><multicast enabled=\"false\"/></join>");
    }
}
