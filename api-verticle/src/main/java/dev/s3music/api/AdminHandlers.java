package dev.s3music.api;

import dev.s3music.model.Addresses;
import dev.s3music.model.trace.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * {@code POST|GET /api/admin/rescan}, {@code GET /api/admin/dlq}, {@code POST /api/admin/dlq/redrive}: requests,
 * with a send timeout, to the indexer over the event bus ({@link Addresses#RESCAN_START},
 * {@link Addresses#RESCAN_STATUS}, {@link Addresses#DLQ_STATUS}, {@link Addresses#DLQ_REDRIVE}). A command (POST)
 * carries no body or a JSON one: any other content type (a browser form: urlencoded, multipart, text/plain) is
 * refused with 415 before the indexer is asked, so a cross-site form post cannot start work. The indexer replies with its status as a
 * JSON object, which goes out as is. No indexer listening, or none answering in time, is 503; an indexer that
 * fails the request with an HTTP-like code (409 already running...) gets that code through.
 */
final class AdminHandlers {

    private final Vertx vertx;
    private final Duration timeout;

    AdminHandlers(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    void startRescan(RoutingContext rc) {
        if (jsonOrNoBody(rc)) {
            ask(rc, Addresses.RESCAN_START, 202);
        }
    }

    void dlqStatus(RoutingContext rc) {
        ask(rc, Addresses.DLQ_STATUS, 200);
    }

    void redriveDlq(RoutingContext rc) {
        if (jsonOrNoBody(rc)) {
            ask(rc, Addresses.DLQ_REDRIVE, 200);
        }
    }

    /** True when the command may go on; else 415 was sent (a form or any non-JSON body). */
    private static boolean jsonOrNoBody(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type != null) {
            String media = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (media.equals("application/json")) {
                return true;
            }
            ApiErrors.send(rc.response(), 415, "send no body, or a JSON one (Content-Type: application/json)");
            return false;
        }
        String length = rc.request().getHeader("Content-Length");
        boolean body = rc.request().getHeader("Transfer-Encoding") != null
            || (length != null && !length.strip().equals("0"));
        if (body) {
            ApiErrors.send(rc.response(), 415, "a body needs Content-Type: application/json");
            return false;
        }
        return true;
    }

    void rescanStatus(RoutingContext rc) {
        ask(rc, Addresses.RESCAN_STATUS, 200);
    }

    private void ask(RoutingContext rc, String address, int okStatus) {
        // the request id goes along: the indexer's log lines of this rescan carry it
        DeliveryOptions options = RequestIds.deliveryOptions().setSendTimeout(timeout.toMillis());
        vertx.eventBus().request(address, new JsonObject(), options).onComplete(ar -> {
            if (ar.succeeded()) {
                JsonObject status;
                try {
                    status = asJson(ar.result().body());
                } catch (DecodeException | ClassCastException e) {
                    status = new JsonObject().put("status", String.valueOf(ar.result().body()));
                }
                rc.response().setStatusCode(okStatus)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(status.encode());
                return;
            }
            if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && r.failureCode() >= 400 && r.failureCode() < 600) {
                ApiErrors.send(rc.response(), r.failureCode(), r.getMessage());
                return;
            }
            rc.fail(ar.cause()); // NO_HANDLERS, TIMEOUT, other failures: 503 in ApiErrors
        });
    }

    private static JsonObject asJson(Object body) {
        if (body instanceof JsonObject j) {
            return j;
        }
        if (body instanceof String s) {
            return new JsonObject(s);
        }
        if (body instanceof Buffer b) {
            return new JsonObject(b);
        }
        if (body == null) {
            return new JsonObject();
        }
        return JsonObject.mapFrom(body);
    }
}
