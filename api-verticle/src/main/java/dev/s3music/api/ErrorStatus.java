package dev.s3music.api;

import dev.s3music.model.DomainException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from a failure to an HTTP status (STYLE rule 13), shared by every route area's
 * {@link ErrorRenderer}: domain errors by kind (404, 400, 409, 412, 429 and 503 with {@code Retry-After}), request
 * validation errors 400, no answer over the event bus 503, vertx-web's own 4xx as they are, anything else 500.
 * Renderers differ only in how they write it (JSON for {@code /api}; later the Subsonic envelope, the player's page).
 *
 * @param status            the HTTP status
 * @param reason            a stable snake_case word for the status ({@code not_found}, {@code unavailable}...)
 * @param message           for the client; never a stack trace
 * @param retryAfterSeconds the {@code Retry-After} to send, or 0 for none
 */
public record ErrorStatus(int status, String reason, String message, int retryAfterSeconds) {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorStatus.class);

    /** Seconds a client should wait after a 429 or 503: long enough for a breaker or a limiter window to move. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * Maps the failure of {@code rc} ({@link RoutingContext#failure()}, else its status code) and logs what needs a
     * line: a dependency down (WARN), an unexpected failure (ERROR, with its stack). Call once per failed request.
     */
    public static ErrorStatus of(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException) {
            failure = http.getCause(); // the contract validator wraps its verdict in a 400
        }
        if (failure instanceof DomainException d) {
            int status = switch (d.kind()) {
                case NOT_FOUND -> 404;
                case INVALID -> 400;
                case PRECONDITION_FAILED -> 412;
                case CONFLICT -> 409;
                case RATE_LIMITED -> 429;
                case TRANSIENT -> 503;
                case UNAUTHENTICATED -> 401;
                case FORBIDDEN -> 403;
            };
            if (status == 503) {
                LOG.warn("{} {}: dependency unavailable: {}", rc.request().method(), LoggedPaths.of(rc.request().path()),
                    d.getMessage());
            }
            ErrorStatus mapped = of(status, d.getMessage());
            return d.retryAfterSeconds() > 0
                ? new ErrorStatus(status, mapped.reason(), mapped.message(), (int) Math.min(Integer.MAX_VALUE, d.retryAfterSeconds()))
                : mapped;
        }
        if (failure instanceof ValidatorException v) {
            return of(400, validationMessage(v));
        }
        if (failure instanceof Overloaded o) {
            return of(503, o.getMessage()); // counted, not logged: refusals come in bursts
        }
        if (failure instanceof ReplyException r) {
            return of(503, "no answer from the indexer: " + r.getMessage());
        }
        if (failure instanceof HttpException http && http.getStatusCode() >= 400 && http.getStatusCode() < 500) {
            return of(http.getStatusCode(), http.getPayload());
        }
        if (failure == null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
            return of(rc.statusCode(), null);
        }
        LOG.error("{} {} failed", rc.request().method(), LoggedPaths.of(rc.request().path()),
            failure != null ? failure : new IllegalStateException("status " + rc.statusCode()));
        return of(500, "internal error");
    }

    /** A status with its reason, {@code Retry-After} for 429 and 503, and {@code message} (the reason when null). */
    public static ErrorStatus of(int status, String message) {
        String reason = reason(status);
        return new ErrorStatus(status, reason, message == null ? reason : message,
            status == 429 || status == 503 ? RETRY_AFTER_SECONDS : 0);
    }

    private static String validationMessage(ValidatorException v) {
        String m = v.getMessage();
        Throwable cause = v.getCause();
        if (cause instanceof JsonSchemaValidationException js && js.getMessage() != null) {
            m = m + ": " + js.getMessage();
        }
        return m;
    }

    public static String reason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 416 -> "range_not_satisfiable";
            case 422 -> "unprocessable_content";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            case 500 -> "internal_error";
            default -> "http_" + status;
        };
    }
}
