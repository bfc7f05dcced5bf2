package dev.s3music.model.metadata;

import dev.s3music.model.MetadataRef;
import dev.s3music.model.event.MetadataLookup;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Objects;

/**
 * One lookup to do: a catalog entity by id and names. Jobs with the same {@link #key()} are the same work.
 *
 * @param attempts how many times it already failed transiently (bounded by the worker)
 */
public record LookupJob(MetadataRef ref, Integer track, Integer disc, int attempts) {

    public LookupJob {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(ref.kind(), "ref.kind");
        Objects.requireNonNull(ref.id(), "ref.id");
    }

    public static LookupJob of(MetadataRef ref) {
        return new LookupJob(ref, null, null, 0);
    }

    public static LookupJob of(MetadataLookup lookup) {
        return new LookupJob(lookup.ref(), lookup.track(), lookup.disc(), 0);
    }

    /** The cache and queue key: {@code artist:<id>}, {@code album:<id>}, {@code song:<id>}. */
    public String key() {
        return key(ref);
    }

    public static String key(MetadataRef ref) {
        return ref.kind().name().toLowerCase(Locale.ROOT) + ":" + ref.id();
    }

    public LookupJob retried() {
        return new LookupJob(ref, track, disc, attempts + 1);
    }

    public JsonObject toJson() {
        return new JsonObject().put("ref", MetadataLookup.refToJson(ref)).put("track", track).put("disc", disc)
            .put("attempts", attempts);
    }

    public static LookupJob fromJson(JsonObject j) {
        return new LookupJob(MetadataLookup.refFromJson(j.getJsonObject("ref")), j.getInteger("track"),
            j.getInteger("disc"), j.getInteger("attempts", 0));
    }
}
