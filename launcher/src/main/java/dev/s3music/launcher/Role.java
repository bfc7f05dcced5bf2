package dev.s3music.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one process runs ({@code ROLE}): {@link #ALL} every verticle in one JVM (the embedded default); the others
 * one role each, beside each other in a cluster. {@link MusicServer} wires each.
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
