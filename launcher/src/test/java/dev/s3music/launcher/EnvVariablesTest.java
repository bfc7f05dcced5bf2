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
}
