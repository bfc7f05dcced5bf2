package dev.s3music.api.upload;

import dev.s3music.api.Access;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.model.DomainException;
import dev.s3music.model.UploadPart;
import dev.s3music.model.port.UploadSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

/**
 * Browser uploads straight to S3 (admin only), documented in {@code openapi.yaml} with {@code x-area: upload}:
 *
 * <pre>
 *  POST   /api/admin/uploads {key,size,contentType?} ──> UploadSigner.create ──> 201 {uploadId,key,partSize,partCount}
 *  POST   /api/admin/uploads/{id}/parts {key,partNumbers} ──> presigned PUT URLs ──> {urls:{"1":url..},expiresAt}
 *         browser ──PUT part bytes──> S3 (the URL's endpoint) ── ETag header (exposed by CORS) ──> browser
 *  GET    /api/admin/uploads/{id}/parts?key= ──> ListParts ──> [{partNumber,etag,size}]   (resume after a drop)
 *  POST   /api/admin/uploads/{id}/complete {key,parts:[{partNumber,etag}]}
 *         ──> ListParts, check (ETags, 5 MiB but the last, total size) ──> CompleteMultipartUpload ──> 204
 *         S3's ObjectCreated event then indexes the file as any other upload
 *  DELETE /api/admin/uploads/{id}?key= ──> AbortMultipartUpload ──> 204
 * </pre>
 * The server keeps no upload state: S3 holds it (the upload id names it). Keys are checked by {@link UploadRules}
 * on every call, so a signed URL can never name a key outside the library.
 */
public final class UploadArea implements RouteArea {

    /** A completion names at most 10,000 parts of about 60 bytes of JSON each. */
    public static final long BODY_LIMIT = 1024 * 1024;
    /** Part URLs are asked for shortly before use (a few at a time), so a short validity suffices. */
    public static final Duration PART_URL_VALIDITY = Duration.ofMinutes(15);

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.ADMIN, "/api/admin/uploads", POST),
        RouteRule.of(Access.ADMIN, "/api/admin/uploads/{uploadId}/parts", GET, POST),
        RouteRule.of(Access.ADMIN, "/api/admin/uploads/{uploadId}/complete", POST),
        RouteRule.of(Access.ADMIN, "/api/admin/uploads/{uploadId}", DELETE));

    private final UploadSigner signer;
    private final Clock clock;

    public UploadArea(UploadSigner signer) {
        this(signer, Clock.systemUTC());
    }

    public UploadArea(UploadSigner signer, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public String mountPoint() {
        return "/api";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
        r.post("/api/admin/uploads").handler(body).handler(this::create);
        r.post("/api/admin/uploads/:uploadId/parts").handler(body).handler(this::sign);
        r.get("/api/admin/uploads/:uploadId/parts").handler(this::listParts);
        r.post("/api/admin/uploads/:uploadId/complete").handler(body).handler(this::complete);
        r.delete("/api/admin/uploads/:uploadId").handler(this::abort);
        return Future.succeededFuture(r);
    }

    private void create(RoutingContext rc) {
        run(rc, () -> {
            JsonObject in = body(rc);
            String key = UploadRules.key(string(in, "key"));
            long size = UploadRules.size(number(in, "size"));
            String type = UploadRules.contentType(key, string(in, "contentType"));
            long partSize = UploadRules.partSize(size);
            int partCount = UploadRules.partCount(size, partSize);
            return signer.create(key, type).map(id -> json(rc, 201, new JsonObject().put("uploadId", id).put("key", key)
                .put("partSize", partSize).put("partCount", partCount)));
        });
    }

    private void sign(RoutingContext rc) {
        run(rc, () -> {
            String id = UploadRules.uploadId(rc.pathParam("uploadId"));
            JsonObject in = body(rc);
            String key = UploadRules.key(string(in, "key"));
            List<Integer> numbers = UploadRules.partNumbers(integers(in, "partNumbers"));
            String expiresAt = clock.instant().plus(PART_URL_VALIDITY).toString();
            return signer.signParts(key, id, numbers, PART_URL_VALIDITY).map(urls -> {
                JsonObject out = new JsonObject();
                urls.forEach((n, url) -> out.put(String.valueOf(n), url));
                return json(rc, 200, new JsonObject().put("urls", out).put("expiresAt", expiresAt));
            });
        });
    }

    private void listParts(RoutingContext rc) {
        run(rc, () -> {
            String id = UploadRules.uploadId(rc.pathParam("uploadId"));
            String key = UploadRules.key(rc.queryParams().get("key"));
            return signer.listParts(key, id).map(parts -> {
                JsonArray out = new JsonArray();
                parts.forEach(p -> out.add(new JsonObject().put("partNumber", p.partNumber()).put("etag", p.etag())
                    .put("size", p.size())));
                rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(out.encode());
                return null;
            });
        });
    }

    private void complete(RoutingContext rc) {
        run(rc, () -> {
            String id = UploadRules.uploadId(rc.pathParam("uploadId"));
            JsonObject in = body(rc);
            String key = UploadRules.key(string(in, "key"));
            List<UploadPart> parts = UploadRules.completion(parts(in));
            return signer.listParts(key, id)
                .compose(held -> {
                    UploadRules.matches(parts, held);
                    return signer.complete(key, id, parts);
                })
                .map(v -> noContent(rc));
        });
    }

    private void abort(RoutingContext rc) {
        run(rc, () -> {
            String id = UploadRules.uploadId(rc.pathParam("uploadId"));
            String key = UploadRules.key(rc.queryParams().get("key"));
            return signer.abort(key, id).map(v -> noContent(rc));
        });
    }

    // ---- request and answer helpers -------------------------------------------------------------------------------

    private interface Step {
        Future<?> run();
    }

    /** Runs a handler step; a validation failure (thrown) or a failed future fails the request once. */
    private static void run(RoutingContext rc, Step step) {
        Future<?> f;
        try {
            f = step.run();
        } catch (RuntimeException e) {
            rc.fail(e);
            return;
        }
        f.onFailure(rc::fail);
    }

    private static JsonObject body(RoutingContext rc) {
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw DomainException.invalid("the body must be JSON (Content-Type: application/json)");
        }
        try {
            JsonObject in = rc.body().asJsonObject();
            if (in == null) {
                throw DomainException.invalid("the body must be a JSON object");
            }
            return in;
        } catch (DecodeException | ClassCastException e) {
            throw DomainException.invalid("the body must be a JSON object");
        }
    }

    private static String string(JsonObject in, String field) {
        Object v = in.getValue(field);
        if (v != null && !(v instanceof String)) {
            throw DomainException.invalid(field + " must be a string");
        }
        return (String) v;
    }

    private static Long number(JsonObject in, String field) {
        Object v = in.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw DomainException.invalid(field + " must be a whole number");
        }
        return ((Number) v).longValue();
    }

    private static List<Integer> integers(JsonObject in, String field) {
        Object v = in.getValue(field);
        if (!(v instanceof JsonArray a)) {
            throw DomainException.invalid(field + " must be an array of part numbers");
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : a) {
            if (!(o instanceof Integer i)) {
                throw DomainException.invalid(field + " must be an array of part numbers");
            }
            out.add(i);
        }
        return out;
    }

    private static List<UploadPart> parts(JsonObject in) {
        Object v = in.getValue("parts");
        if (!(v instanceof JsonArray a)) {
            throw DomainException.invalid("parts must be an array of {partNumber, etag}");
        }
        List<UploadPart> out = new ArrayList<>();
        for (Object o : a) {
            if (!(o instanceof JsonObject p) || !(p.getValue("partNumber") instanceof Integer n)
                || !(p.getValue("etag") instanceof String etag)) {
                throw DomainException.invalid("parts must be an array of {partNumber, etag}");
            }
            out.add(new UploadPart(n, etag, -1));
        }
        return out;
    }

    private static Void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
        return null;
    }

    private static Void noContent(RoutingContext rc) {
        rc.response().setStatusCode(204).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
        return null;
    }
}
