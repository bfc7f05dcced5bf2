package dev.s3music.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one process runs ({@code ROLE}). Today only {@link #ALL} exists: the embedded default, every verticle in
 * one JVM. The per-role production entry points of issue 5 add their launchers beside {@link EmbeddedServer}
 * and a case in {@link Main}.
 */
public enum Role {
    ALL("all"),
    API("api"),
    INDEXER("indexer"),
    METADATA_WORKER("metadata-worker");

    private final String value;

    Role(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    static Role parse(String variable, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.value.equals(t)) {
                return r;
            }
        }
        throw new ConfigException(variable, "'" + text + "' is not a role (one of "
            + Arrays.stream(values()).map(Role::value).collect(Collectors.joining(", ")) + ")");
    }
}
