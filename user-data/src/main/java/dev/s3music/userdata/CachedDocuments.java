package dev.s3music.userdata;

import dev.s3music.model.Backoff;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;


/**
 * The documents of the user data: read through the cache (a miss reads the store and fills the cache), written to
 * the store with conditional writes and then offered to the cache.
 *
 * <p>An update is a function of the current document (null when there is none) to the next one. It is written with
 * {@code create} (no document yet) or {@code replace} from the version read; when another writer won (CONFLICT) the
 * document is read again from the store (never the cache, which may be the stale part) and the function applied
 * again, after a jittered pause, at most {@code attempts} times. So concurrent edits from any number of instances
 * all land, as long as the function expresses the edit (add this, remove that) rather than a whole new state.
 *
 * <p>Each write sets {@code "rev"} one above the document read: the cache keeps the highest rev of racing offers.
 */
final class CachedDocuments {

    private static final Logger LOG = LoggerFactory.getLogger(CachedDocuments.class);
    static final String REV = "rev";

    private final Vertx vertx;
    private final DocumentStore store;
    private final UserDataCache cache;
    private final int attempts;
    /** Per document key: the end of the chain of this instance's changes of it (none when idle). */
    private final Map<String, Future<Void>> tails = new HashMap<>();

    CachedDocuments(Vertx vertx, DocumentStore store, UserDataCache cache, int attempts) {
        this.vertx = vertx;
        this.store = store;
        this.cache = cache;
        this.attempts = attempts;
    }

    DocumentStore store() {
        return store;
    }

    /** The document (possibly a cached copy), or an absent entry. */
    Future<CachedDocument> read(String key) {
        return cache.get(key).recover(e -> {
            // the cache is an accelerator: when it is down, the store answers (and the next read tries it again)
            LOG.debug("user-data cache unavailable for {}: {}", key, e.toString());
            return Future.succeededFuture();
        }).compose(hit -> hit != null ? Future.succeededFuture(hit) : readStore(key));
    }

    /** The document from the store, offered to the cache. */
    Future<CachedDocument> readStore(String key) {
        return store.get(key).compose(v -> {
            CachedDocument entry = v == null ? CachedDocument.absent(0)
                : new CachedDocument(v.value(), v.version(), v.value().getLong(REV, 0L));
            return offer(key, entry).map(entry);
        });
    }

    /** Keeps what the store holds in the cache; a cache failure is logged, never the caller's failure. */
    Future<Void> offer(String key, CachedDocument entry) {
        return cache.offer(key, entry).recover(e -> {
            LOG.debug("user-data cache unavailable for {}: {}", key, e.toString());
            return Future.succeededFuture();
        });
    }

    /**
     * Applies {@code change} to the current document and writes it conditionally (see the class comment).
     * {@code change} gets a copy it may mutate and returns the next document, or null to write nothing; it may throw
     * a DomainException (the update fails with it, nothing is written) and must be free of side effects (it may run
     * more than once). The document as written (or as it is, when nothing was written).
     */
    Future<Versioned<JsonObject>> update(String key, Change change) {
        // one change of a document at a time per instance: racing itself would only cost this instance conflicts
        // (with N local writers, each round one wins); writers of other instances still race, and retry
        Promise<Versioned<JsonObject>> done = Promise.promise();
        Future<Void> mine = done.future().transform(ar -> Future.<Void>succeededFuture());
        Future<Void> before;
        synchronized (tails) {
            before = tails.getOrDefault(key, Future.succeededFuture());
            tails.put(key, mine);
        }
        before.onComplete(ignored -> attempt(key, change, 0, false).onComplete(ar -> {
            synchronized (tails) {
                tails.remove(key, mine);
            }
            done.handle(ar);
        }));
        return done.future();
    }

    /** An edit of one document. */
    interface Change {
        /**
         * @param document a copy of the current document to mutate, or null when there is none
         * @param version  its version, or null
         * @return the next document, or null to write nothing
         */
        JsonObject apply(JsonObject document, String version);
    }

    /**
     * Thrown by a {@link Change} when the document is not at the version its caller saw (If-Match): 412. Like any
     * refusal of a change, it is only final on what the store holds: a refusal on a cached copy reads the store.
     */
    static final class VersionMismatch extends DomainException {
        VersionMismatch(String message) {
            super(Kind.PRECONDITION_FAILED, message);
        }
    }

    private Future<Versioned<JsonObject>> attempt(String key, Change change, int n, boolean fresh) {
        return (fresh ? readStore(key) : read(key)).compose(current -> {
            JsonObject next;
            try {
                next = change.apply(current.exists() ? current.document().copy() : null, current.version());
            } catch (DomainException e) {
                // refused on a cached copy (another instance's write may not be in this cache): ask the store
                return fresh ? Future.failedFuture(e) : attempt(key, change, n, true);
            }
            if (next == null || (current.exists() && next.equals(current.document()))) {
                return Future.succeededFuture(current.exists()
                    ? new Versioned<>(current.document(), current.version()) : null);
            }
            long rev = Math.max(current.rev(), current.exists() ? current.document().getLong(REV, 0L) : 0L) + 1;
            next.put(REV, rev);
            Future<String> written = current.exists()
                ? store.replace(key, next, current.version())
                : store.create(key, next);
            return written.compose(version -> offer(key, new CachedDocument(next, version, rev))
                .map(new Versioned<>(next, version)));
        }).recover(e -> {
            if (!DomainException.is(e, DomainException.Kind.CONFLICT)) {
                return Future.failedFuture(e);
            }
            if (n + 1 >= attempts) {
                return Future.failedFuture(DomainException.transientFailure(key + " kept changing; try again", e));
            }
            return vertx.timer(Backoff.jittered(5, 200, n)).compose(t -> attempt(key, change, n + 1, true));
        });
    }

    /** Deletes the document and leaves a tombstone in the cache one rev above {@code rev}. */
    Future<Void> delete(String key, long rev) {
        return store.delete(key).compose(v -> offer(key, CachedDocument.absent(rev + 1)));
    }
}
