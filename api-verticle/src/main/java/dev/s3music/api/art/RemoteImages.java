package dev.s3music.api.art;

import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fetches an image by URL (the Discogs image of an album's metadata). Any failure, an unreachable host included,
 * is NOT_FOUND: the cover is simply not there.
 */
public interface RemoteImages {

    /** Fetches nothing: every URL is not found. */
    RemoteImages NONE = (url, maxBytes) -> Future.failedFuture(DomainException.notFound("cover art of this album"));

    /** Discogs' image hosts: the only ones the server fetches from by default (never an arbitrary URL). */
    Set<String> DISCOGS_HOSTS = Set.of("i.discogs.com", "img.discogs.com", "st.discogs.com");

    /** Time for the whole fetch. */
    Duration TIMEOUT = Duration.ofSeconds(5);

    Future<Buffer> fetch(String url, long maxBytes);

    /** HTTPS to {@link #DISCOGS_HOSTS} only. */
    static RemoteImages discogs(Vertx vertx) {
        return http(vertx, uri -> "https".equals(uri.getScheme()) && uri.getHost() != null
            && DISCOGS_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT)));
    }

    /**
     * Over Vert.x's HTTP client, for URLs {@code allowed} accepts (the metadata is Discogs' text: a URL in it must not
     * make the server call anything else). Bodies over {@code maxBytes} and non-200 answers are NOT_FOUND.
     */
    static RemoteImages http(Vertx vertx, Predicate<URI> allowed) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) TIMEOUT.toMillis()).setIdleTimeout((int) TIMEOUT.toSeconds())
            .setMaxRedirects(0));
        return (url, maxBytes) -> {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(DomainException.notFound("cover art of this album (a malformed image URL)"));
            }
            if (!allowed.test(uri)) {
                return Future.failedFuture(DomainException.notFound("cover art of this album (image host not allowed)"));
            }
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(TIMEOUT.toMillis()).setFollowRedirects(false)
                .putHeader("User-Agent", "s3music/1.0");
            return client.request(options)
                .compose(req -> req.send())
                .compose(resp -> {
                    String length = resp.getHeader("Content-Length");
                    if (resp.statusCode() != 200 || length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
                        resp.request().reset();
                        return Future.failedFuture(DomainException.notFound("cover art of this album (the image host answered "
                            + resp.statusCode() + ")"));
                    }
                    Buffer body = Buffer.buffer();
                    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
                    resp.handler(chunk -> {
                        if (body.length() + chunk.length() > maxBytes) {
                            resp.request().reset();
                            done.tryFail(DomainException.notFound("cover art of this album (the image is over " + maxBytes + " bytes)"));
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    resp.exceptionHandler(done::tryFail);
                    resp.endHandler(v -> done.tryComplete(body));
                    return done.future();
                })
                .recover(t -> Future.failedFuture(DomainException.is(t, DomainException.Kind.NOT_FOUND) ? t
                    : DomainException.notFound("cover art of this album (image host unreachable: " + t.getMessage() + ")")));
        };
    }
}
