package dev.s3music.model.metadata;

import dev.s3music.model.Metadata;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A cached lookup result: READY with its data, or NOT_FOUND (a confident "Discogs has nothing", cached with a
 * shorter time to live). The job is kept so the daily refresh can look it up again.
 */
public record CacheEntry(Metadata.Status status, JsonObject data, long fetchedAtMillis, LookupJob job) {

    public CacheEntry {
        Objects.requireNonNull(status, "status");
        if (status != Metadata.Status.READY && status != Metadata.Status.NOT_FOUND) {
            throw new IllegalArgumentException("only ready and not_found are cached, not " + status);
        }
    }

    public static CacheEntry ready(JsonObject data, long now, LookupJob job) {
        return new CacheEntry(Metadata.Status.READY, data, now, job);
    }

    public static CacheEntry notFound(long now, LookupJob job) {
        return new CacheEntry(Metadata.Status.NOT_FOUND, null, now, job);
    }

    public Metadata toMetadata() {
        return new Metadata(status, data);
    }

    public JsonObject toJson() {
        return new JsonObject().put("status", status.name()).put("data", data).put("fetchedAt", fetchedAtMillis)
            .put("job", job == null ? null : job.toJson());
    }

    public static CacheEntry fromJson(JsonObject j) {
        JsonObject job = j.getJsonObject("job");
        return new CacheEntry(Metadata.Status.valueOf(j.getString("status")), j.getJsonObject("data"),
            j.getLong("fetchedAt", 0L), job == null ? null : LookupJob.fromJson(job));
    }
}
