package dev.s3music.model;

import io.vertx.core.json.JsonObject;

/**
 * Discogs metadata as the API shows it: a status and, when ready, the data.
 *
 * @param status ready, pending (asked for, not there yet), not_found (Discogs has no confident match) or
 *               unavailable (no token configured, or the provider is down)
 * @param data   the metadata when ready, else null
 */
public record Metadata(Status status, JsonObject data) {

    public enum Status {
        READY("ready"), PENDING("pending"), NOT_FOUND("not_found"), UNAVAILABLE("unavailable");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static Metadata unavailable() {
        return new Metadata(Status.UNAVAILABLE, null);
    }
}
