package dev.s3music.launcher;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

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
}
