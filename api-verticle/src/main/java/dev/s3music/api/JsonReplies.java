package dev.s3music.api;

import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The JSON answers of the areas that answer JSON (auth, user data, health): one place for the content type and the
 * {@code no-store} every such answer carries (they are a user's own data or a live status), and for reading a JSON
 * object body. Failures go to {@code rc.fail}, so {@link ErrorStatus} maps them once.
 */
public final class JsonReplies {

    private JsonReplies() {
    }

    public static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(body.encode());
    }

    /** {@code status} with the answer once it succeeds, else the failure's mapped answer. */
    public static void reply(RoutingContext rc, int status, Future<JsonObject> answer) {
        answer.onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                send(rc, status, ar.result());
            }
        });
    }

    /** 204 (not cached) once {@code done} succeeds, else the failure's mapped answer. */
    public static void noContent(RoutingContext rc, Future<Void> done) {
        done.onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                rc.response().setStatusCode(204).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
            }
        });
    }

    /** The request's JSON object, or null after failing the request (400). */
    public static JsonObject body(RoutingContext rc) {
        try {
            JsonObject o = rc.body().asJsonObject();
            if (o == null) {
                rc.fail(DomainException.invalid("a JSON object body is required"));
            }
            return o;
        } catch (DecodeException | ClassCastException e) {
            rc.fail(DomainException.invalid("the body is not a JSON object"));
            return null;
        }
    }
}
