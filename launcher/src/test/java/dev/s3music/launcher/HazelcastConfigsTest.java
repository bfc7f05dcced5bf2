package dev.s3music.launcher;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HazelcastConfigsTest {

    @Test
    void clusterMembersSwitchToTcpIpWithMulticastAndAutoDetectionOff() {
        LauncherConfig c = LauncherConfig.fromEnv(Map.of("CLUSTERED", "true", "CLUSTER_MEMBERS", "127.0.0.1,10.0.0.2:5702",
            "CLUSTER_HOST", "127.0.0.1", "CLUSTER_JOIN_WAIT", "1s"));
        Config hz = HazelcastConfigs.build(c.cluster(), new Properties());

        var join = hz.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1", "10.0.0.2:5702");
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(hz.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("1");
        assertThat(hz.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        // vert.x's maps and multimap come from vertx-hazelcast's configuration
        assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
    }

    @Test
    void hazelcastOverridesApplyWhenNoMembersAreGiven() {
        // the same override mechanism as the HZ_* variables of the ECS tasks, through its system-property form
        String[] keys = {"hz.network.port.port", "hz.network.join.multicast.enabled", "hz.network.join.aws.enabled",
            "hz.network.join.aws.cluster"};
        String[] values = {"5801", "false", "true", "music-cluster"};
        try {
            for (int i = 0; i < keys.length; i++) {
                System.setProperty(keys[i], values[i]);
            }
            Config hz = HazelcastConfigs.build(LauncherConfig.fromEnv(Map.of("CLUSTERED", "true")).cluster(),
                System.getProperties());
            assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5801);
            assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
            assertThat(hz.getNetworkConfig().getJoin().getAwsConfig().isEnabled()).isTrue();
            assertThat(hz.getNetworkConfig().getJoin().getAwsConfig().getProperty("cluster")).isEqualTo("music-cluster");
        } finally {
            for (String k : keys) {
                System.clearProperty(k);
            }
        }
    }

    @Test
    void aClusterWithoutMembersOrAnExplicitJoinIsRefusedNamingClusterMembers() {
        assertThatThrownBy(() -> HazelcastConfigs.build(LauncherConfig.fromEnv(Map.of("CLUSTERED", "true")).cluster(),
            new Properties()))
            .isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.variable()).isEqualTo("CLUSTER_MEMBERS");
                assertThat(e.getMessage()).contains("HZ_NETWORK_JOIN_AWS_ENABLED").contains("Multicast is never");
            });
    }

    @Test
    void multicastIsOnlyTheJoinWhenAskedForExplicitly() {
        String key = "hz.network.join.multicast.enabled";
        try {
            System.setProperty(key, "true");
            Config hz = HazelcastConfigs.build(LauncherConfig.fromEnv(Map.of("CLUSTERED", "true")).cluster(),
                System.getProperties());
            assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isTrue();
        } finally {
            System.clearProperty(key);
        }
        // the ECS contract: AWS discovery on, multicast off; auto-detection never falls back to multicast
        String[] keys = {"hz.network.join.aws.enabled", "hz.network.join.aws.cluster"};
        try {
            System.setProperty(keys[0], "true");
            System.setProperty(keys[1], "music-cluster");
            Config hz = HazelcastConfigs.build(LauncherConfig.fromEnv(Map.of("CLUSTERED", "true")).cluster(),
                System.getProperties());
            assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
            assertThat(hz.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
            assertThat(hz.getNetworkConfig().getJoin().getAwsConfig().isEnabled()).isTrue();
        } finally {
            for (String k : keys) {
                System.clearProperty(k);
            }
        }
    }

    @Test
    void vertxDefaultJoinIsRewrittenWithMulticastAndAutoDetectionOff() {
        String xml = HazelcastConfigs.withoutImplicitJoin("<network>\n<join>\n  <multicast/>\n</join>\n</network>");
        assertThat(xml).contains("<multicast enabled=\"false\"/>").contains("<auto-detection enabled=\"false\"/>");
        assertThatThrownBy(() -> HazelcastConfigs.withoutImplicitJoin("<network><join><tcp-ip/></join></network>"))
            .isInstanceOf(IllegalStateException.class);
    }
}
