package dev.s3music.metadata.discogs;

import dev.s3music.metadata.WorkerMetrics;
import dev.s3music.model.Backoff;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The wire client of Discogs: one GET, with the token, the User-Agent and a timeout, after taking a permit of
 * the shared budget. 404 fails NOT_FOUND (an answer: never retried). 429, 5xx and network failures are retried
 * a bounded number of times with jittered exponential backoff, each retry taking a new permit; a 429 also
 * pauses the whole cluster for that backoff. A low {@code X-Discogs-Ratelimit-Remaining} pauses the cluster too.
 */
public final class DiscogsClient {

    private static final Logger LOG = LoggerFactory.getLogger(DiscogsClient.class);

    private final Vertx vertx;
    private final WebClient web;
    private final DiscogsConfig cfg;
    private final PermitGate permits;
    private final RateLimiter limiter;
    private final WorkerMetrics metrics;

    public DiscogsClient(Vertx vertx, WebClient web, DiscogsConfig cfg, PermitGate permits, RateLimiter limiter) {
        this(vertx, web, cfg, permits, limiter, WorkerMetrics.of(WorkerMetrics.NONE));
    }

    /** @param metrics counts every call by outcome and keeps the remaining calls Discogs reports */
    public DiscogsClient(Vertx vertx, WebClient web, DiscogsConfig cfg, PermitGate permits, RateLimiter limiter,
                         WorkerMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.web = web;
        this.cfg = cfg;
        this.permits = permits;
        this.limiter = limiter;
    }

    /** GET {@code path} with these query parameters; the JSON body on 200. */
    public Future<JsonObject> get(String path, Map<String, String> query) {
        return attempt(path, query, 0);
    }

    private Future<JsonObject> attempt(String path, Map<String, String> query, int retry) {
        return permits.acquire()
            .compose(grant -> {
                Future<HttpResponse<Buffer>> sent = request(path, query).send();
                // the grant counts from the end of its call: see RateLimiter#completed
                return sent.transform(x -> permits.completed(grant).recover(e -> Future.succeededFuture()))
                    .compose(x -> sent);
            })
            .transform(ar -> {
                if (ar.failed()) {
                    metrics.discogsCall(0);
                    return retryOr(path, query, retry, 0, DomainException.transientFailure(
                        "Discogs " + path + " failed: " + ar.cause().getMessage(), ar.cause()));
                }
                HttpResponse<Buffer> r = ar.result();
                observeRemaining(r);
                int status = r.statusCode();
                metrics.discogsCall(status);
                if (status == 200) {
                    try {
                        return Future.succeededFuture(r.bodyAsJsonObject());
                    } catch (DecodeException | ClassCastException e) {
                        return Future.failedFuture(DomainException.transientFailure("Discogs sent bad JSON for " + path, e));
                    }
                }
                if (status == 404) {
                    return Future.failedFuture(DomainException.notFound("Discogs " + path));
                }
                if (status == 429 || status >= 500) {
                    return retryOr(path, query, retry, status, new DomainException(
                        status == 429 ? DomainException.Kind.RATE_LIMITED : DomainException.Kind.TRANSIENT,
                        "Discogs " + path + " answered " + status + " after " + (retry + 1) + " attempts"));
                }
                // 401/403 (token refused) and other 4xx: retrying cannot help
                return Future.failedFuture(new DomainException(DomainException.Kind.TRANSIENT,
                    "Discogs " + path + " answered " + status + " (check DISCOGS_TOKEN)"));
            });
    }

    private Future<JsonObject> retryOr(String path, Map<String, String> query, int retry, int status,
                                       DomainException lastError) {
        if (retry >= cfg.maxRetries()) {
            return Future.failedFuture(lastError);
        }
        long delay = backoff(retry);
        LOG.debug("Discogs {} answered {}, retry {} in {} ms", path, status, retry + 1, delay);
        Future<Void> pause = status == 429 ? limiter.pause(delay).recover(e -> Future.succeededFuture())
            : Future.succeededFuture();
        return pause.compose(v -> {
            Promise<Void> p = Promise.promise();
            vertx.setTimer(Math.max(1, delay), t -> p.complete());
            return p.future();
        }).compose(v -> attempt(path, query, retry + 1));
    }

    /** The house's jittered backoff ({@link Backoff}): uniform in the upper half of min(max, base * 2^retry). */
    long backoff(int retry) {
        return Backoff.jittered(cfg.backoffBase().toMillis(), cfg.backoffMax().toMillis(), retry);
    }

    private void observeRemaining(HttpResponse<Buffer> r) {
        String h = r.getHeader("X-Discogs-Ratelimit-Remaining");
        if (h == null) {
            return;
        }
        try {
            int remaining = Integer.parseInt(h.strip());
            metrics.discogsRemaining(remaining);
            if (cfg.lowRemaining() >= 0 && remaining <= cfg.lowRemaining()) {
                long pause = cfg.slot().toMillis() * (cfg.lowRemaining() - remaining + 1L);
                LOG.info("Discogs reports {} calls remaining: pausing the cluster {} ms", remaining, pause);
                limiter.pause(pause);
            }
        } catch (NumberFormatException ignored) {
            // a malformed header says nothing
        }
    }

    private HttpRequest<Buffer> request(String path, Map<String, String> query) {
        HttpRequest<Buffer> req = web.getAbs(cfg.baseUrl() + path)
            .putHeader("User-Agent", cfg.userAgent())
            .putHeader("Accept", "application/vnd.discogs.v2.discogs+json")
            .timeout(cfg.requestTimeout().toMillis());
        if (cfg.token() != null) {
            req.putHeader("Authorization", "Discogs token=" + cfg.token());
        }
        query.forEach(req::addQueryParam);
        return req;
    }
}
