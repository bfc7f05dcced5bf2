package dev.s3music.api.auth;

import dev.s3music.api.Access;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.api.StreamService;
import dev.s3music.model.DomainException;
import dev.s3music.model.Song;
import dev.s3music.model.auth.Share;
import dev.s3music.model.auth.ShareService;
import dev.s3music.model.port.CatalogReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;

/**
 * Share links, for someone without an account: {@code GET /s/{token}} lists the shared song or album as JSON with a
 * stream link per song, {@code GET|HEAD /s/{token}/songs/{songId}/stream} plays one through {@link StreamService}
 * (ranges, conditionals, HEAD). Only songs of that share; an unknown, expired or revoked token is a 404 like an
 * unknown song, so a link says nothing once it is gone. Responses are {@code Cache-Control: no-store}, the token
 * being the credential.
 */
public final class ShareLinkArea implements RouteArea {

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.PUBLIC, "/s/{token}", GET),
        RouteRule.of(Access.PUBLIC, "/s/{token}/songs/{songId}/stream", GET, HEAD));

    private final ShareService shares;
    private final CatalogReader catalog;
    private final StreamService streams;

    public ShareLinkArea(ShareService shares, CatalogReader catalog, StreamService streams) {
        this.shares = Objects.requireNonNull(shares, "shares");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public String mountPoint() {
        return "/s";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.get("/s/:token").handler(this::list);
        r.get("/s/:token/songs/:songId/stream").handler(this::stream);
        r.head("/s/:token/songs/:songId/stream").handler(this::stream);
        return Future.succeededFuture(r);
    }

    private void list(RoutingContext rc) {
        String token = rc.pathParam("token");
        songsOf(token).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            Listing l = ar.result();
            JsonArray songs = new JsonArray();
            String base = "/s/" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "/songs/";
            for (Song s : l.songs()) {
                songs.add(new JsonObject()
                    .put("id", s.id())
                    .put("title", s.title())
                    .put("artist", s.artistName())
                    .put("album", s.albumName())
                    .put("track", s.track())
                    .put("format", s.format())
                    .put("size", s.size())
                    .put("stream", base + URLEncoder.encode(s.id(), StandardCharsets.UTF_8) + "/stream"));
            }
            rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject()
                    .put("expiresAt", l.share().expiresAt().toString())
                    .put("albumId", l.share().albumId())
                    .put("songs", songs).encode());
        });
    }

    private void stream(RoutingContext rc) {
        String songId = rc.pathParam("songId");
        songsOf(rc.pathParam("token")).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else if (ar.result().songs().stream().noneMatch(s -> s.id().equals(songId))) {
                rc.fail(DomainException.notFound("song " + songId));
            } else {
                rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                // no principal here: the stream counts under the share's owner (MAX_STREAMS_PER_USER)
                rc.put(StreamService.STREAM_USER, ar.result().share().owner());
                streams.stream(rc, songId);
            }
        });
    }

    private record Listing(Share share, List<Song> songs) {
    }

    /** The share of the token and its songs; NOT_FOUND when the token or what it shares is gone. */
    private Future<Listing> songsOf(String token) {
        return shares.resolve(token).compose(share -> {
            if (share.songId() != null) {
                return catalog.song(share.songId()).map(s -> new Listing(share, s.map(List::of).orElseThrow(
                    () -> DomainException.notFound("shared song"))));
            }
            return catalog.album(share.albumId()).map(a -> new Listing(share, a.orElseThrow(
                () -> DomainException.notFound("shared album")).songs()));
        });
    }
}
