package dev.s3music.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The declared variables: the only names {@link Env} reads, each documented; {@code AUTH_SECRET}'s check. */
class EnvVariablesTest {

    @Test
    void anUndeclaredNameCannotBeRead() {
        Env env = new Env(Map.of("ROLE", "api", "SOMETHING_ELSE", "x"));
        assertThat(env.optional("ROLE")).contains("api");
        assertThatThrownBy(() -> env.optional("SOMETHING_ELSE")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("SOMETHING_ELSE is not a declared variable");
        assertThatThrownBy(() -> env.port("HTTP_PROT", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDeclaredVariableIsInTheReadmeConfigurationTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Health and shutdown"));
        for (String name : LauncherConfig.VARIABLES) {
            assertThat(table).as("README configuration table").contains("`" + name + "`");
        }
    }

    @Test
    void authSecretIsOptionalButNotWeak() {
        assertThat(LauncherConfig.fromEnv(Map.of()).authSecret()).isEmpty();
        String ok = "0123456789abcdef0123456789abcdef";
        assertThat(LauncherConfig.fromEnv(Map.of("AUTH_SECRET", ok)).authSecret()).contains(ok);
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("AUTH_SECRET", "short-secret")))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("AUTH_SECRET: is 12 characters long")
            .hasMessageNotContaining("short-secret");
    }

    @Test
    void signInSettings() {
        LauncherConfig.Auth none = LauncherConfig.fromEnv(Map.of()).auth();
        assertThat(none.adminUser()).isEqualTo("admin");
        assertThat(none.adminPassword()).isEmpty();
        assertThat(none.trustedProxies().trusts("10.0.0.1")).isFalse();
        LauncherConfig.Auth set = LauncherConfig.fromEnv(Map.of("ADMIN_USER", "teacher",
            "ADMIN_PASSWORD", "a-long-secret-password", "TRUSTED_PROXIES", "10.0.0.0/16, 192.168.1.7",
            "SESSION_LIFETIME", "12h", "SESSION_IDLE", "1h")).auth();
        assertThat(set.adminUser()).isEqualTo("teacher");
        assertThat(set.adminPassword()).contains("a-long-secret-password");
        assertThat(set.toString()).doesNotContain("a-long-secret-password");
        assertThat(set.trustedProxies().trusts("10.0.200.1")).isTrue();
        assertThat(set.trustedProxies().trusts("10.1.0.1")).isFalse();
        assertThat(set.sessionLifetime()).contains(java.time.Duration.ofHours(12));
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("ADMIN_PASSWORD", "short")))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("ADMIN_PASSWORD: is 5 bytes long")
            .hasMessageNotContaining("short,");
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("TRUSTED_PROXIES", "10.0.0.0/40")))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("TRUSTED_PROXIES:");
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("SESSION_LIFETIME", "1h", "SESSION_IDLE", "2h")))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("SESSION_IDLE:");
    }
}
