package dev.s3music.indexer.reconcile;

import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.model.AlbumArt;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.port.CatalogWriter;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Flow 2 (reconcile): makes the catalog equal the bucket listing. Heals lost events and fills an empty catalog.
 *
 * <ol>
 *   <li>takes the catalog clock ({@code since});</li>
 *   <li>lists the bucket page by page; upserts what is new or changed (ETag when both sides have one, else size
 *       and last-modified to the second: S3Proxy's filesystem store sends no ETag for hand-placed files), reading
 *       tags for those only; unchanged objects cost no request beyond the listing;</li>
 *   <li>walks the catalog's keys and removes those the listing did not have.</li>
 * </ol>
 * Every write is guarded by {@code Guard.reconcile(since)}: a key that an event touched after the reconcile
 * started is left to the event (its listing may be stale), so reconcile and concurrent events never undo each
 * other. Ids are derived from keys, so they stay unchanged.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ObjectStore store;
    private final SongIndexer indexer;
    private final CatalogWriter catalog;
    private final int pageSize;
    private final int parallelWrites;
    private final AtomicReference<RescanStatus> status = new AtomicReference<>(RescanStatus.IDLE);

    /**
     * @param pageSize       keys per listing page (S3 caps it at 1000)
     * @param parallelWrites catalog writes (with tag reads) in flight at once within a page
     */
    public Reconciler(ObjectStore store, SongIndexer indexer, int pageSize, int parallelWrites) {
        this.store = Objects.requireNonNull(store, "store");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.catalog = indexer.catalog();
        this.pageSize = pageSize;
        this.parallelWrites = parallelWrites;
    }

    /** The catalog it writes (the verticle prunes its tombstones). */
    public CatalogWriter catalog() {
        return catalog;
    }

    public RescanStatus status() {
        RescanStatus s = status.get();
        return s.running() ? withElapsed(s) : s;
    }

    private static RescanStatus withElapsed(RescanStatus s) {
        return new RescanStatus(s.state(), s.listed(), s.added(), s.updated(), s.removed(),
            Duration.between(s.startedAt(), Instant.now()).toMillis(), s.listingMs(), s.startedAt(), s.finishedAt(), s.error());
    }

    /** Starts a reconcile unless one runs; the future completes with its final status. */
    public Future<RescanStatus> run() {
        Instant started = Instant.now();
        RescanStatus current = status.get();
        if (current.running() || !status.compareAndSet(current, new RescanStatus("running", 0, 0, 0, 0, 0, 0, started, null, null))) {
            return Future.succeededFuture(status());
        }
        Counters c = new Counters(started);
        LOG.info("reconcile of bucket {} started", store.bucket());
        return catalog.clock()
            .compose(since -> listAll(store.list(null, pageSize), since, new HashSet<>(), c)
                .compose(listed -> removeGone(null, since, listed, c)))
            .map(v -> finish(c, "done", null))
            .recover(e -> {
                LOG.error("reconcile failed after {}: {}", c.snapshot("running", null).toJson().encode(), e.toString());
                return Future.succeededFuture(finish(c, "failed", e.toString()));
            });
    }

    private RescanStatus finish(Counters c, String state, String error) {
        RescanStatus s = c.snapshot(state, error);
        s = new RescanStatus(s.state(), s.listed(), s.added(), s.updated(), s.removed(), s.elapsedMs(), s.listingMs(),
            s.startedAt(), Instant.now(), error);
        status.set(s);
        LOG.info("reconcile {}: {}", state, s.toJson().encode());
        return s;
    }

    /** One page at a time, the next page fetched while this one is applied; counts the time spent waiting for pages. */
    private Future<Set<String>> listAll(Future<ObjectListing> pageF, long since, Set<String> listed, Counters c) {
        long waitStart = System.nanoTime();
        return pageF.compose(page -> {
            c.listingNanos.addAndGet(System.nanoTime() - waitStart);
            Future<ObjectListing> next = page.nextToken() == null ? null : store.list(page.nextToken(), pageSize);
            return applyPage(page, since, listed, c).compose(v -> {
                status.set(c.snapshot("running", null));
                if (c.listed.get() % (pageSize * 20L) < page.objects().size()) {
                    LOG.info("reconcile progress: {}", status().toJson().encode());
                }
                return next == null ? Future.succeededFuture(listed) : listAll(next, since, listed, c);
            });
        });
    }

    private Future<Void> applyPage(ObjectListing page, long since, Set<String> listed, Counters c) {
        List<ObjectInfo> songs = new ArrayList<>();
        List<ObjectInfo> art = new ArrayList<>();
        for (ObjectInfo o : page.objects()) {
            c.listed.incrementAndGet();
            if (SongKey.parse(o.key()).isPresent()) {
                songs.add(o);
                listed.add(o.key());
            } else if (AlbumArt.albumIdOf(o.key()).isPresent()) {
                art.add(o);
                listed.add(o.key());
            }
        }
        return catalog.songsByKey(songs.stream().map(ObjectInfo::key).toList()).compose(known -> {
            List<java.util.function.Supplier<Future<?>>> writes = new ArrayList<>();
            for (ObjectInfo o : songs) {
                Song have = known.get(o.key());
                if (have == null || changed(have, o)) {
                    AtomicLong counter = have == null ? c.added : c.updated;
                    writes.add(() -> indexer.upsertListed(o, since).onSuccess(ch -> {
                        if (ch) {
                            counter.incrementAndGet();
                        }
                    }));
                }
            }
            for (ObjectInfo o : art) {
                writes.add(() -> catalog.upsertArt(o.key(), CatalogWriter.Guard.reconcile(since)).onSuccess(ch -> {
                    if (ch) {
                        c.added.incrementAndGet();
                    }
                }));
            }
            return bounded(writes, 0);
        });
    }

    /** Runs the writes {@code parallelWrites} at a time. */
    private Future<Void> bounded(List<java.util.function.Supplier<Future<?>>> writes, int from) {
        if (from >= writes.size()) {
            return Future.succeededFuture();
        }
        int to = Math.min(writes.size(), from + parallelWrites);
        List<Future<?>> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(writes.get(i).get());
        }
        return Future.all(batch).compose(v -> bounded(writes, to));
    }

    /** ETags when both sides have one; else size and last-modified to the second (HTTP dates have no millis). */
    static boolean changed(Song have, ObjectInfo o) {
        if (have.etag() != null && o.etag() != null) {
            return !have.etag().equals(o.etag());
        }
        return have.size() != o.size() || !have.lastModified().truncatedTo(ChronoUnit.SECONDS)
            .equals(o.lastModified().truncatedTo(ChronoUnit.SECONDS));
    }

    private Future<Void> removeGone(String cursor, long since, Set<String> listed, Counters c) {
        return catalog.keys(cursor, pageSize).compose(page -> {
            List<java.util.function.Supplier<Future<?>>> removes = new ArrayList<>();
            for (String k : page.keys()) {
                if (!listed.contains(k)) {
                    removes.add(() -> indexer.removeListed(k, since).onSuccess(ch -> {
                        if (ch) {
                            c.removed.incrementAndGet();
                        }
                    }));
                }
            }
            return bounded(removes, 0).compose(v -> {
                status.set(c.snapshot("running", null));
                return page.cursor() == null ? Future.succeededFuture() : removeGone(page.cursor(), since, listed, c);
            });
        });
    }

    private static final class Counters {
        final Instant started;
        final AtomicLong listed = new AtomicLong();
        final AtomicLong added = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong removed = new AtomicLong();
        final AtomicLong listingNanos = new AtomicLong();

        Counters(Instant started) {
            this.started = started;
        }

        RescanStatus snapshot(String state, String error) {
            return new RescanStatus(state, listed.get(), added.get(), updated.get(), removed.get(),
                Duration.between(started, Instant.now()).toMillis(), listingNanos.get() / 1_000_000, started, null, error);
        }
    }
}
