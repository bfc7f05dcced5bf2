package dev.s3music.model.port;

import io.vertx.core.Future;

import java.net.URI;

/**
 * Short-lived URLs that let a client GET one object straight from the store (S3 presigned, or a CloudFront signed
 * URL): the redirect mode of streaming, where audio bytes never pass through the server. A link is the only
 * capability it carries: it names exactly one key, expires soon, allows GET (with any {@code Range}) and nothing
 * else. Failures are {@link dev.s3music.model.DomainException}s (TRANSIENT when it cannot be signed now).
 */
public interface SignedLinks {

    /**
     * A URL that GETs {@code key} until it expires.
     *
     * @param contentType the {@code Content-Type} the answer should carry (S3 serves it through the signed
     *                    {@code response-content-type}), or null for what the store has
     * @param bytes       the size of the object (or of the range the client asked for): what the client will most
     *                    likely read through the link, counted as the estimated bytes handed out (cost panel)
     */
    Future<URI> signedGet(String key, String contentType, long bytes);
}
