package dev.s3music.api;

import dev.s3music.model.DomainException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The one place where failures become HTTP answers (STYLE rule 13): domain errors by kind, request validation
 * errors as 400, anything else 500 with one log line. Every error body is {@code {status, error, message}}.
 */
final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** Seconds a client should wait after a 429 or 503: long enough for a breaker or a limiter window to move. */
    static final int RETRY_AFTER_SECONDS = 5;

    private ApiErrors() {
    }

    /** The router's failure handler. */
    static void handle(RoutingContext rc) {
        Throwable failure = rc.failure();
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            // the status line is gone (a stream failed midway): the only honest signal left is closing
            rc.request().connection().close();
            return;
        }
        if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException) {
            failure = http.getCause(); // the contract validator wraps its verdict in a 400
        }
        int status;
        String message;
        if (failure instanceof DomainException d) {
            status = switch (d.kind()) {
                case NOT_FOUND -> 404;
                case INVALID -> 400;
                case PRECONDITION_FAILED -> 412;
                case CONFLICT -> 409;
                case RATE_LIMITED -> 429;
                case TRANSIENT -> 503;
            };
            message = d.getMessage();
            if (status == 429 || status == 503) {
                response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            }
            if (status == 503) {
                LOG.warn("{} {}: dependency unavailable: {}", rc.request().method(), rc.request().path(), message);
            }
        } else if (failure instanceof ValidatorException v) {
            status = 400;
            message = validationMessage(v);
        } else if (failure instanceof ReplyException r) {
            status = 503;
            message = "no answer from the indexer: " + r.getMessage();
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        } else if (failure instanceof HttpException http && http.getStatusCode() >= 400 && http.getStatusCode() < 500) {
            status = http.getStatusCode();
            message = http.getPayload() != null ? http.getPayload() : reason(status);
        } else if (failure == null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
            status = rc.statusCode();
            message = reason(status);
        } else {
            status = 500;
            message = "internal error";
            LOG.error("{} {} failed", rc.request().method(), rc.request().path(),
                failure != null ? failure : new IllegalStateException("status " + rc.statusCode()));
        }
        send(response, status, message);
    }

    static void send(HttpServerResponse response, int status, String message) {
        String body = new JsonObject()
            .put("status", status)
            .put("error", reason(status))
            .put("message", message == null ? reason(status) : message)
            .encode();
        response.setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(body);
    }

    private static String validationMessage(ValidatorException v) {
        String m = v.getMessage();
        Throwable cause = v.getCause();
        if (cause instanceof JsonSchemaValidationException js && js.getMessage() != null) {
            m = m + ": " + js.getMessage();
        }
        return m;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 416 -> "range_not_satisfiable";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            case 500 -> "internal_error";
            default -> "http_" + status;
        };
    }
}
