package dev.s3music.indexer.core;

import dev.s3music.indexer.event.KeyEvent;
import dev.s3music.model.Addresses;
import dev.s3music.model.AlbumArt;
import dev.s3music.model.DomainException;
import dev.s3music.model.Ids;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.event.SongRemoved;
import dev.s3music.model.port.CatalogWriter;
import dev.s3music.model.port.CatalogWriter.Guard;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies one change of one key to the catalog (the SongMap writer), shared by the SQS consumer and the
 * reconcile. Songs are read for tags first; album art files are recorded; other keys are ignored. Publishes
 * {@link Addresses#SONG_INDEXED} / {@link Addresses#SONG_REMOVED} when the catalog changed, after the write.
 */
public final class SongIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(SongIndexer.class);

    private final EventBus bus;
    private final CatalogWriter catalog;
    private final TagSource tags;

    public SongIndexer(EventBus bus, CatalogWriter catalog, TagSource tags) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    public CatalogWriter catalog() {
        return catalog;
    }

    /** Applies an S3 event in sequencer order; succeeds once the catalog write succeeded (or was not needed). */
    public Future<Boolean> apply(KeyEvent e) {
        Guard guard = Guard.event(e.sequencer());
        if (e.kind() == KeyEvent.Kind.REMOVE) {
            return remove(e.key(), guard);
        }
        Instant time = e.eventTime() != null ? e.eventTime() : Instant.now();
        return upsert(e.key(), e.size() == null ? 0 : e.size(), e.etag(), time, guard);
    }

    /** Reconcile: upserts a listed object unless an event touched its key since {@code since}. */
    public Future<Boolean> upsertListed(ObjectInfo o, long since) {
        return upsert(o.key(), o.size(), o.etag(), o.lastModified(), Guard.reconcile(since));
    }

    /** Reconcile: removes a key the listing no longer has unless an event touched it since {@code since}. */
    public Future<Boolean> removeListed(String key, long since) {
        return remove(key, Guard.reconcile(since));
    }

    private Future<Boolean> upsert(String key, long size, String etag, Instant lastModified, Guard guard) {
        Optional<SongKey> sk = SongKey.parse(key);
        if (sk.isEmpty()) {
            return AlbumArt.albumIdOf(key).isPresent() ? catalog.upsertArt(key, guard) : Future.succeededFuture(false);
        }
        Song bare = Song.of(sk.get(), size, etag, lastModified);
        return tags.read(key, bare.format(), size)
            .map(bare::withTags)
            .recover(err -> {
                if (DomainException.is(err, DomainException.Kind.NOT_FOUND)) {
                    // gone since the event or listing: its delete event follows, nothing to index now
                    LOG.debug("{} is gone, not indexed", key);
                    return Future.succeededFuture(null);
                }
                return Future.failedFuture(err);
            })
            .compose(song -> song == null ? Future.succeededFuture(false) : catalog.upsert(song, guard).map(changed -> {
                if (changed) {
                    bus.publish(Addresses.SONG_INDEXED, SongIndexed.of(song));
                }
                return changed;
            }));
    }

    private Future<Boolean> remove(String key, Guard guard) {
        boolean song = SongKey.parse(key).isPresent();
        if (!song && AlbumArt.albumIdOf(key).isEmpty()) {
            return Future.succeededFuture(false);
        }
        return catalog.remove(key, guard).map(changed -> {
            if (changed && song) {
                bus.publish(Addresses.SONG_REMOVED, new SongRemoved(Ids.song(key), key));
            }
            return changed;
        });
    }
}
