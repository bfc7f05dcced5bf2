package dev.s3music.model.event;

import dev.s3music.model.MetadataRef;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Optional;

/**
 * Request sent on {@link dev.s3music.model.Addresses#METADATA_LOOKUP}: look this up with user-facing priority.
 * The worker replies at once with a {@link MetadataLookupReply} (it never makes the caller wait on Discogs), or
 * fails the request with one of the codes below.
 *
 * @param ref   what to look up
 * @param track the song's track number when known (songs are matched by title, then by position), else null
 * @param disc  the song's disc number when known, else null
 */
public record MetadataLookup(MetadataRef ref, Integer track, Integer disc) {

    /**
     * Failure code: the request is malformed or forged (missing kind or names, an id that is not a canonical id of
     * its kind, an oversized name, a track or disc out of range); see {@link #problem()}.
     */
    public static final int FAILURE_INVALID = 400;
    /** Failure code: the lookup queue cannot be reached; the caller answers pending and may ask again. */
    public static final int FAILURE_QUEUE_DOWN = 503;

    public MetadataLookup {
        Objects.requireNonNull(ref, "ref");
    }

    /** Track and disc numbers above this are forged (file names carry at most three digits). */
    public static final int MAX_POSITION = 999;

    /** Why the worker must refuse this request ({@link #FAILURE_INVALID}), or empty when it is well formed. */
    public Optional<String> problem() {
        if ((track != null && (track < 0 || track > MAX_POSITION)) || (disc != null && (disc < 0 || disc > MAX_POSITION))) {
            return Optional.of("track or disc out of range 0 to " + MAX_POSITION);
        }
        return ref.problem();
    }

    public static MetadataLookup of(MetadataRef ref) {
        return new MetadataLookup(ref, null, null);
    }

    public JsonObject toJson() {
        return new JsonObject().put("ref", refToJson(ref)).put("track", track).put("disc", disc);
    }

    public static MetadataLookup fromJson(JsonObject j) {
        return new MetadataLookup(refFromJson(j.getJsonObject("ref")), j.getInteger("track"), j.getInteger("disc"));
    }

    public static JsonObject refToJson(MetadataRef r) {
        return new JsonObject().put("kind", r.kind().name()).put("id", r.id()).put("artist", r.artist())
            .put("album", r.album()).put("title", r.title());
    }

    /** Parses a ref; throws IllegalArgumentException on a missing or unknown kind. */
    public static MetadataRef refFromJson(JsonObject j) {
        if (j == null || j.getString("kind") == null) {
            throw new IllegalArgumentException("ref.kind is required");
        }
        return new MetadataRef(MetadataRef.Kind.valueOf(j.getString("kind")), j.getString("id"),
            j.getString("artist"), j.getString("album"), j.getString("title"));
    }
}
