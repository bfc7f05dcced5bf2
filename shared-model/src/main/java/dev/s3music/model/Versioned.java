package dev.s3music.model;

import java.util.Objects;

/**
 * A value and the version it was read at. For documents the version is the store's ETag: pass it back to
 * {@code DocumentStore.replace} to write only when nobody wrote in between.
 */
public record Versioned<T>(T value, String version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
