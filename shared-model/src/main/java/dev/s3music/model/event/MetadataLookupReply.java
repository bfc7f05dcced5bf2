package dev.s3music.model.event;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The worker's immediate reply to a {@link MetadataLookup}.
 *
 * @param status queued (the lookup is in the queue or already running), ready (already cached: read it again),
 *               or unavailable (no Discogs token configured: metadata stays unavailable)
 */
public record MetadataLookupReply(Status status) {

    public enum Status {
        QUEUED("queued"), READY("ready"), UNAVAILABLE("unavailable");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Status fromWire(String s) {
            for (Status v : values()) {
                if (v.wire.equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown lookup status " + s);
        }
    }

    public MetadataLookupReply {
        Objects.requireNonNull(status, "status");
    }

    public JsonObject toJson() {
        return new JsonObject().put("status", status.wire());
    }

    public static MetadataLookupReply fromJson(JsonObject j) {
        return new MetadataLookupReply(Status.fromWire(j.getString("status")));
    }
}
