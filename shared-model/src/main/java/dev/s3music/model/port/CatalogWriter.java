package dev.s3music.model.port;

import dev.s3music.model.Song;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The catalog as the indexer writes it: guarded, idempotent writes of one key each, tombstones, and what a
 * reconcile needs (clock, songs by key, paged keys). A song keeps its {@link Song#addedAt()} (the first time its
 * key was indexed) across re-indexing and rescans; a removal then re-add is a new one.
 */
public interface CatalogWriter {

    /** Number of songs (the indexer's gauge and its "reconcile when empty" check). */
    Future<Long> size();

    /** Adds or replaces the song with its key, unconditionally; true when something changed. */
    default Future<Boolean> upsert(Song song) {
        return upsert(song, Guard.none());
    }

    /** Removes the song with this key, unconditionally; true when it was there. */
    default Future<Boolean> remove(String key) {
        return remove(key, Guard.none());
    }

    // ---- ordered writes (indexer) ----

    /**
     * When a write may apply. Every write of a key is checked and applied atomically (competing indexers
     * stay exact):
     * <ul>
     *   <li>{@link #event(String)}: applies only when the S3 sequencer is newer than the last one applied to the
     *       key (deletes included: a remove leaves a tombstone, so a late, older put never brings a key back);
     *       the sequencer is then recorded, with the catalog's {@link #clock()} time;</li>
     *   <li>{@link #reconcile(long)}: applies only when no event touched the key at or after {@code since} (a
     *       reconcile started at {@code since}; a fresher event wins over its older listing); records nothing;</li>
     *   <li>{@link #none()}: always applies, records nothing (the unguarded {@code upsert}/{@code remove}).</li>
     * </ul>
     */
    record Guard(String sequencer, Long since) {
        public static Guard event(String sequencer) {
            return new Guard(Objects.requireNonNull(sequencer, "sequencer"), null);
        }

        public static Guard reconcile(long since) {
            return new Guard(null, since);
        }

        public static Guard none() {
            return new Guard(null, null);
        }
    }

    /** One page of catalog keys (songs and album art); {@code cursor} null on the last page. */
    record KeyPage(List<String> keys, String cursor) {
        public KeyPage {
            keys = List.copyOf(keys);
        }
    }

    /** Adds or replaces the song if the guard allows; true when the catalog changed. */
    Future<Boolean> upsert(Song song, Guard guard);

    /** Removes the song or album art with this key if the guard allows; true when the catalog changed. */
    Future<Boolean> remove(String key, Guard guard);

    /** Records an album art file ({@link dev.s3music.model.AlbumArt}) if the guard allows; true when new. */
    Future<Boolean> upsertArt(String key, Guard guard);

    /** The catalog's clock in epoch milliseconds: the time base of {@link Guard#reconcile(long)}. */
    Future<Long> clock();

    /** The songs of these keys that the catalog holds (reconcile compares them with a listing page). */
    Future<Map<String, Song>> songsByKey(Collection<String> keys);

    /** Every key the catalog holds (songs and art), paged; {@code cursor} null for the first page. */
    Future<KeyPage> keys(String cursor, int count);

    /** One step of {@link #pruneTombstones}: how many were pruned, and where to go on ({@code null}: walk done). */
    record PruneStep(long pruned, String cursor) {
    }

    /**
     * One bounded step of pruning tombstones: the event state of keys the catalog no longer holds, recorded before
     * {@code before} (catalog clock, epoch ms). Looks at about {@code count} key states from {@code cursor}
     * ({@code null} to start a walk). Safe once {@code before} is older than the queue's retention: no event older
     * than a pruned tombstone can still arrive. Keys still held keep their state (bounded by the catalog's size).
     */
    Future<PruneStep> pruneTombstones(String cursor, int count, long before);
}
