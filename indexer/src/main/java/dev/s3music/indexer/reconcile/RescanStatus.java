package dev.s3music.indexer.reconcile;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Progress of the current or last reconcile, as replied on {@code RESCAN_START} / {@code RESCAN_STATUS}:
 * {@code {state, listed, added, updated, removed, elapsedMs, listingMs, startedAt, finishedAt, error}} (listingMs:
 * time spent waiting for listing pages, the store's share of elapsedMs), state one of
 * {@code idle}, {@code running}, {@code done}, {@code failed}.
 */
public record RescanStatus(String state, long listed, long added, long updated, long removed, long elapsedMs,
                           long listingMs, Instant startedAt, Instant finishedAt, String error) {

    public static final RescanStatus IDLE = new RescanStatus("idle", 0, 0, 0, 0, 0, 0, null, null, null);

    public boolean running() {
        return "running".equals(state);
    }

    public JsonObject toJson() {
        return new JsonObject().put("state", state).put("listed", listed).put("added", added).put("updated", updated)
            .put("removed", removed).put("elapsedMs", elapsedMs).put("listingMs", listingMs)
            .put("startedAt", startedAt == null ? null : startedAt.toString())
            .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
            .put("error", error);
    }
}
