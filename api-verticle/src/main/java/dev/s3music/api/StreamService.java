package dev.s3music.api;

import dev.s3music.model.AudioFormat;
import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.Etags;
import dev.s3music.model.Ids;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.ObjectBody;
import dev.s3music.model.port.ObjectStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one song's bytes to a request: catalog lookup, conditionals, Range, the relay from S3, and abort. Any route
 * that answers with a song's body calls it with the song's id ({@code GET|HEAD /api/songs/{id}/stream}; next
 * {@code /rest/stream}, {@code /rest/download}, share links): it answers or fails the routing context, and the
 * route area's error renderer turns a failure (404, 503...) into its own format.
 *
 * <p>The song record of the catalog carries size, ETag and Last-Modified, so everything but the body is decided
 * before S3 is asked anything: 304, 412, 416 and every HEAD cost no S3 request. A GET then opens exactly the bytes
 * it sends, with {@code If-Match} on the catalog's ETag when there is one, so a body never mixes two versions of
 * an object.
 *
 * <p>When S3 says the object changed under the catalog (412 on the ETag, 404, or a length that differs from the
 * catalog's), the service asks S3 once for the object's current head and answers again from that, as if the
 * catalog had been current: a deleted object is 404, a replaced one is served whole or ranged by its new
 * validators. That costs two extra requests, only for songs the indexer has not caught up with yet; the API never
 * writes the catalog (the indexer owns it and hears about the change through S3 events).
 *
 * <p>Bodies flow S3 -> response through {@link ObjectBody#relayTo}: when the client's socket is full the S3 socket
 * is paused, so memory per stream stays bounded (the S3 adapter keeps at most 64 KB written and not yet sent, plus
 * one S3 read off-heap). A client that goes away cancels the S3 body, which closes its connection: the S3 transfer
 * stops. S3 breaking midway is resumed by the store at the next byte with {@code If-Match}, invisibly to the
 * listener (counted as a resume); only a body it cannot resume (object changed, S3 keeps failing) closes the
 * connection. Stateless and thread-safe: one instance serves every verticle instance and route area.
 */
public final class StreamService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);
    /** Browsers and players revalidate (cheap: a 304 from the catalog); private because accounts are coming. */
    private static final String CACHE_CONTROL = "private, no-cache";
    /** Routing-context key: this request holds a stream slot (a refresh re-enters {@code serve}). */
    private static final String SLOT = "s3music.streamSlot";
    /**
     * Routing-context key a route sets to count a stream under another user than the signed-in one: a share link
     * has no principal, so its streams count under the share's owner ({@link dev.s3music.api.auth.ShareLinkArea}).
     */
    public static final String STREAM_USER = "s3music.streamUser";
    /** Seconds a listener at the per-user cap is told to wait: the time for an overlapping seek's old body to end. */
    private static final long PER_USER_RETRY_AFTER_SECONDS = 5;

    private final CatalogReader catalog;
    private final ObjectStore store;
    private final ApiMetrics metrics;
    /** Keys whose corrupted ETag was logged (bounded: a flood of them logs the first ones only). */
    private final java.util.Set<String> badEtagKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_BAD_ETAG_KEYS_LOGGED = 1_000;

    /** Signed links of the redirect mode, or null (then every request is proxied). */
    private final dev.s3music.model.port.SignedLinks links;
    /** What a request that does not choose ({@code ?redirect=}) gets. */
    private final StreamMode mode;

    private final int maxStreams;
    /** Song bodies being opened or relayed now by this service (every verticle instance sharing it). */
    private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxStreamsPerUser;
    /**
     * Streams being opened or relayed now per username (signed-in user, or a share link's owner); an entry is
     * removed when its count returns to 0, so the map holds only users who are streaming now.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> userStreams =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** @param registry where the stream meters go ({@link ApiMetrics}); cap {@link ApiConfig#DEFAULT_MAX_STREAMS} */
    public StreamService(CatalogReader catalog, ObjectStore store, io.micrometer.core.instrument.MeterRegistry registry) {
        this(catalog, store, registry, ApiConfig.DEFAULT_MAX_STREAMS);
    }

    /**
     * @param maxStreams song bodies relayed at once ({@link ApiConfig#maxStreams()}); one more is answered 503 with
     *                   {@code Retry-After} and counted ({@code s3music_stream_refused_total}). Build one service
     *                   per process so the cap is per instance.
     */
    public StreamService(CatalogReader catalog, ObjectStore store, io.micrometer.core.instrument.MeterRegistry registry,
                         int maxStreams) {
        this(catalog, store, ApiMetrics.of(registry), maxStreams, ApiConfig.DEFAULT_MAX_STREAMS_PER_USER);
    }

    /**
     * @param maxStreamsPerUser song bodies relayed at once for one user ({@link ApiConfig#maxStreamsPerUser()}),
     *                          share links counted under the share's owner; one more is answered 429 with
     *                          {@code Retry-After} and counted ({@code reason=per_user})
     */
    public StreamService(CatalogReader catalog, ObjectStore store, io.micrometer.core.instrument.MeterRegistry registry,
                         int maxStreams, int maxStreamsPerUser) {
        this(catalog, store, ApiMetrics.of(registry), maxStreams, maxStreamsPerUser);
    }

    StreamService(CatalogReader catalog, ObjectStore store, ApiMetrics metrics) {
        this(catalog, store, metrics, ApiConfig.DEFAULT_MAX_STREAMS, ApiConfig.DEFAULT_MAX_STREAMS_PER_USER);
    }

    /**
     * With the redirect mode ({@link StreamMode}).
     *
     * @param links signed links to single objects (the S3 adapter's presigned GETs, or CloudFront), or null for
     *              none: every request is then proxied, whatever it asks
     * @param mode  what a request gets when it does not choose with {@code ?redirect=true|false}
     */
    public StreamService(CatalogReader catalog, ObjectStore store, io.micrometer.core.instrument.MeterRegistry registry,
                         int maxStreams, int maxStreamsPerUser, dev.s3music.model.port.SignedLinks links,
                         StreamMode mode) {
        this(catalog, store, ApiMetrics.of(registry), maxStreams, maxStreamsPerUser, links, mode);
    }

    StreamService(CatalogReader catalog, ObjectStore store, ApiMetrics metrics, int maxStreams, int maxStreamsPerUser) {
        this(catalog, store, metrics, maxStreams, maxStreamsPerUser, null, StreamMode.PROXY);
    }

    StreamService(CatalogReader catalog, ObjectStore store, ApiMetrics metrics, int maxStreams, int maxStreamsPerUser,
                  dev.s3music.model.port.SignedLinks links, StreamMode mode) {
        this.links = links;
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        if (mode == StreamMode.REDIRECT && links == null) {
            throw new IllegalArgumentException("the redirect mode needs signed links");
        }
        this.catalog = java.util.Objects.requireNonNull(catalog, "catalog");
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1: " + maxStreams);
        }
        this.maxStreams = maxStreams;
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("maxStreamsPerUser must be at least 1: " + maxStreamsPerUser);
        }
        this.maxStreamsPerUser = maxStreamsPerUser;
    }

    /** Song bodies being opened or relayed now. */
    public int streams() {
        return streams.get();
    }

    /** Song bodies being opened or relayed now for {@code username} (0 when it has no entry). */
    public int streams(String username) {
        var n = userStreams.get(username);
        return n == null ? 0 : n.get();
    }

    /** Users with a stream being opened or relayed now (the size of the per-user map). */
    public int streamingUsers() {
        return userStreams.size();
    }

    /** The {@code /api} route: the id is the path parameter {@code id}. */
    void streamSong(RoutingContext rc) {
        stream(rc, rc.pathParam("id"));
    }

    /**
     * Answers {@code rc} (GET or HEAD) with the song {@code songId}, honouring its conditional and range headers,
     * or fails it: {@code DomainException} NOT_FOUND for an id that names no song (checked before the catalog or S3
     * hear of it), TRANSIENT when S3 cannot open it.
     */
    public void stream(RoutingContext rc, String songId) {
        if (songId == null || Ids.songKey(songId).isEmpty()) {
            // malformed, or names something outside the library (.., absolute, control chars, reserved prefix):
            // not found, and S3 never hears of it
            rc.fail(DomainException.notFound("song"));
            return;
        }
        catalog.song(songId).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                rc.fail(DomainException.notFound("song"));
            } else {
                serve(rc, checked(ar.result().get()), true);
            }
        });
    }

    /** As {@link #stream(RoutingContext, String)}, for a route that knows the song's library key. */
    public void stream(RoutingContext rc, SongKey key) {
        stream(rc, Ids.song(key.key()));
    }

    private void serve(RoutingContext rc, Song song, boolean mayRefresh) {
        MultiMap headers = rc.request().headers();
        boolean head = rc.request().method() == HttpMethod.HEAD;
        String etag = song.httpEtag();

        // RFC 9110 13.2.2: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since
        Conditionals.Match ifMatch = Conditionals.matches(headers.get(HttpHeaders.IF_MATCH), etag, true);
        if (ifMatch == Conditionals.Match.NO_MATCH || ifMatch == Conditionals.Match.ABSENT
            && isModifiedSince(song, headers.get(HttpHeaderNames.IF_UNMODIFIED_SINCE))) {
            validators(rc.response(), song).setStatusCode(412).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
            return;
        }
        Conditionals.Match ifNoneMatch = Conditionals.matches(headers.get(HttpHeaders.IF_NONE_MATCH), etag, false);
        if (ifNoneMatch == Conditionals.Match.MATCH || ifNoneMatch == Conditionals.Match.ABSENT
            && isNotModifiedSince(song, headers.get(HttpHeaders.IF_MODIFIED_SINCE))) {
            validators(rc.response(), song).setStatusCode(304).end();
            return;
        }

        ByteRanges.Result result = ByteRanges.parse(headers.get(HttpHeaderNames.RANGE), song.size());
        if (!(result instanceof ByteRanges.Ignore)
            && !Conditionals.ifRangeHolds(headers.get(HttpHeaderNames.IF_RANGE), etag, song.lastModified())) {
            result = new ByteRanges.Ignore(); // the client's partial copy is stale: send the whole new one
        }
        if (result instanceof ByteRanges.Unsatisfiable) {
            validators(rc.response(), song).setStatusCode(416)
                .putHeader(HttpHeaders.CONTENT_RANGE, ByteRanges.unsatisfiedRange(song.size()))
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .end();
            return;
        }
        ByteRange range = result instanceof ByteRanges.Satisfiable s ? s.range() : null;
        long length = range == null ? song.size() : range.length();
        // HEAD answers what GET would (RFC 9110 9.3.2), range included, without touching S3
        if (head || length == 0) {
            headers(rc.response(), song, range, length).end();
            return;
        }
        if (redirects(rc)) {
            redirect(rc, song, length);
            return;
        }
        if (!rc.response().headWritten() && rc.get(SLOT) == null) {
            // the cap counts from the S3 open (each body holds an S3 connection) to the response's end
            if (streams.incrementAndGet() > maxStreams) {
                streams.decrementAndGet();
                metrics.streamRefused();
                rc.fail(new Overloaded("too many songs are playing from this instance; retry shortly"));
                return;
            }
            String user = streamUser(rc);
            if (user != null && !acquireUserSlot(user)) {
                streams.decrementAndGet();
                metrics.streamRefusedPerUser();
                rc.fail(DomainException.rateLimited("you are playing " + maxStreamsPerUser
                    + " songs at once already; retry when one ends", PER_USER_RETRY_AFTER_SECONDS));
                return;
            }
            rc.put(SLOT, Boolean.TRUE);
            // one release path for both slots: the end handler runs once, whether the response ends or the
            // connection dies
            rc.addEndHandler(v -> {
                streams.decrementAndGet();
                if (user != null) {
                    releaseUserSlot(user);
                }
            });
        }
        store.open(song.key(), range, song.etag()).onComplete(ar -> {
            if (ar.failed()) {
                Throwable t = ar.cause();
                boolean changed = DomainException.is(t, DomainException.Kind.PRECONDITION_FAILED)
                    || DomainException.is(t, DomainException.Kind.NOT_FOUND);
                if (changed && mayRefresh) {
                    refresh(rc, song);
                } else {
                    if (!changed) {
                        metrics.s3OpenFailed();
                    }
                    rc.fail(t);
                }
                return;
            }
            ObjectBody body = ar.result();
            if (body.contentLength() != length) {
                // no ETag to guard with (hand-placed file) and the object changed size: start again from S3
                body.cancel();
                if (mayRefresh) {
                    refresh(rc, song);
                } else {
                    rc.fail(DomainException.transientFailure("object " + song.key() + " changed during the request", null));
                }
                return;
            }
            pipe(rc, song, range, body);
        });
    }

    /**
     * Whether this GET is answered with a redirect: {@code ?redirect=true} (or {@code 1}) asks for one,
     * {@code ?redirect=false} (or {@code 0}) for the proxy, anything else gets the service's mode. Without signed
     * links every request is proxied.
     */
    private boolean redirects(RoutingContext rc) {
        if (links == null || rc.response().headWritten()) {
            return false;
        }
        String asked = rc.request().getParam(REDIRECT_PARAM);
        if (asked != null) {
            String a = asked.strip().toLowerCase(java.util.Locale.ROOT);
            if (a.equals("true") || a.equals("1")) {
                return true;
            }
            if (a.equals("false") || a.equals("0")) {
                return false;
            }
        }
        return mode == StreamMode.REDIRECT;
    }

    /**
     * 302 to a signed GET of the song's one object: no S3 connection is held here, so neither stream cap applies.
     * The client repeats its {@code Range} (and {@code If-Range}) to the link, where S3 answers them. Conditionals
     * and unsatisfiable ranges were answered from the catalog before, as in proxy mode. The answer is never stored
     * (the link expires) and sends no {@code Referer} onwards.
     */
    private void redirect(RoutingContext rc, Song song, long length) {
        String type = AudioFormat.contentType(song.format()).orElse(null);
        links.signedGet(song.key(), type, length).onComplete(ar -> {
            if (ar.failed()) {
                metrics.s3OpenFailed();
                rc.fail(ar.cause());
                return;
            }
            if (rc.response().closed()) {
                return;
            }
            metrics.redirected();
            rc.response().setStatusCode(302)
                .putHeader(HttpHeaders.LOCATION, ar.result().toASCIIString())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .end();
        });
    }

    /** Query parameter of a request's choice between redirect and proxy ({@link StreamMode}). */
    public static final String REDIRECT_PARAM = "redirect";

    /** The user a stream counts under: a route's {@link #STREAM_USER}, else the signed-in user, else none. */
    private static String streamUser(RoutingContext rc) {
        String user = rc.get(STREAM_USER);
        if (user != null) {
            return user;
        }
        dev.s3music.model.auth.Principal p = rc.get(dev.s3music.api.auth.AuthHandler.PRINCIPAL);
        return p == null ? null : p.username();
    }

    /** Takes one of the user's slots, atomically with the entry's creation; false (nothing taken) at the cap. */
    private boolean acquireUserSlot(String user) {
        boolean[] taken = {false};
        userStreams.compute(user, (k, n) -> {
            if (n == null) {
                n = new java.util.concurrent.atomic.AtomicInteger();
            }
            if (n.get() < maxStreamsPerUser) {
                n.incrementAndGet();
                taken[0] = true;
            }
            return n.get() == 0 ? null : n;
        });
        return taken[0];
    }

    /** Gives one slot back; the entry goes when its count reaches 0, so the map holds only users streaming now. */
    private void releaseUserSlot(String user) {
        userStreams.computeIfPresent(user, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** The catalog is stale for this song: one HEAD, then answer from what S3 says now. */
    private void refresh(RoutingContext rc, Song stale) {
        store.head(stale.key()).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause()); // NOT_FOUND: deleted since the catalog saw it -> 404
                return;
            }
            ObjectInfo now = ar.result();
            LOG.info("catalog is stale for {}: S3 has size {} etag {}, the catalog {} {}", stale.key(), now.size(),
                now.etag(), stale.size(), stale.etag());
            serve(rc, fresh(stale, now), false);
        });
    }

    /**
     * The song with its ETag dropped when the catalog holds one that cannot be a header value (a quote, a control
     * character: issue 9, item 7, a forged event written {@code abc\r\nX-Evil: injected} there, and HEAD answered
     * 500). Such a song is served as one without an ETag: validators from size and Last-Modified, no
     * {@code If-Match} to S3 (the length check still guards the body). Logged once per key.
     */
    private Song checked(Song song) {
        if (song.etag() == null || song.etag().isEmpty() || Etags.isHeaderSafe(song.etag())) {
            return song;
        }
        if (badEtagKeys.size() < MAX_BAD_ETAG_KEYS_LOGGED && badEtagKeys.add(song.key())) {
            LOG.warn("catalog entry of song {} has an ETag that is not an entity tag ({} chars); served without it until "
                + "the indexer rewrites it", song.id(), song.etag().length());
        }
        return new Song(song.id(), song.key(), song.artistId(), song.artistName(), song.albumId(), song.albumName(),
            song.title(), song.track(), song.disc(), song.subFolder(), song.format(), song.size(), null,
            song.lastModified(), song.tags());
    }

    private static Song fresh(Song s, ObjectInfo now) {
        return new Song(s.id(), s.key(), s.artistId(), s.artistName(), s.albumId(), s.albumName(), s.title(),
            s.track(), s.disc(), s.subFolder(), s.format(), now.size(), now.etag(),
            now.lastModified() != null ? now.lastModified() : s.lastModified(), s.tags(), s.addedAt());
    }

    private void pipe(RoutingContext rc, Song song, ByteRange range, ObjectBody body) {
        HttpServerResponse response = rc.response();
        if (response.closed()) {
            body.cancel(); // the client left while S3 was answering
            return;
        }
        headers(response, song, range, body.contentLength());
        metrics.streamStarted();
        // once per request, whether the response ends or the connection dies
        rc.addEndHandler(v -> metrics.streamEnded());
        // S3 has answered: the status line and headers go out now, not with the first body chunk
        response.writeHead();
        // the connection closing before the end (client gone, seek, skip) stops the S3 transfer
        response.closeHandler(v -> body.cancel());
        // S3 breaking midway is resumed by the store, invisibly to the listener: counted, not an error
        body.onResume(metrics::s3Resumed);
        // copy-free and bounded in bytes; completes when the last byte is on the socket, and stops S3 on failure
        Future<Void> relayed = body.relayTo(response, metrics::sent);
        // the drain of a graceful stop waits for the last byte on the socket, not for end() (see Readiness)
        rc.put(Readiness.WRITTEN, relayed);
        relayed.onComplete(ar -> {
            if (ar.failed()) {
                body.cancel();
                if (response.closed() || ar.cause() instanceof java.io.IOException) {
                    metrics.clientLeft();
                    LOG.debug("client left during {}: {}", song.key(), ar.cause().toString());
                } else {
                    metrics.s3BrokeMidway();
                    // S3 failed midway: the status line is gone, so close rather than end a short body
                    LOG.warn("stream of {} broke: {}", song.key(), ar.cause().toString());
                }
                rc.request().connection().close();
            }
        });
    }

    private static HttpServerResponse headers(HttpServerResponse response, Song song, ByteRange range, long length) {
        validators(response, song)
            .setStatusCode(range == null ? 200 : 206)
            .putHeader(HttpHeaders.CONTENT_TYPE, AudioFormat.contentType(song.format()).orElse("application/octet-stream"))
            .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
        if (range != null) {
            response.putHeader(HttpHeaders.CONTENT_RANGE, ByteRanges.contentRange(range, song.size()));
        }
        return response;
    }

    private static HttpServerResponse validators(HttpServerResponse response, Song song) {
        return response
            .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
            .putHeader(HttpHeaders.ETAG, song.httpEtag())
            .putHeader(HttpHeaders.LAST_MODIFIED, Conditionals.httpDate(song.lastModified()))
            .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    private static boolean isModifiedSince(Song song, String header) {
        var date = Conditionals.parseDate(header);
        return date != null && Conditionals.modifiedSince(song.lastModified(), date);
    }

    private static boolean isNotModifiedSince(Song song, String header) {
        var date = Conditionals.parseDate(header);
        return date != null && !Conditionals.modifiedSince(song.lastModified(), date);
    }
}
