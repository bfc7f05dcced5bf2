package dev.s3music.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The JSON error renderer of {@code /api}, health and metrics: every error body is {@code {status, error, message}}
 * with {@code Cache-Control: no-store}; the status comes from {@link ErrorStatus}.
 */
public final class ApiErrors {

    /** The renderer of the areas that speak JSON. */
    public static final ErrorRenderer JSON = (rc, error) -> send(rc.response(), error);

    private ApiErrors() {
    }

    /** Writes {@code error} as JSON, with its {@code Retry-After} if any. */
    public static void send(HttpServerResponse response, ErrorStatus error) {
        if (error.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
        }
        String body = new JsonObject()
            .put("status", error.status())
            .put("error", error.reason())
            .put("message", error.message())
            .encode();
        response.setStatusCode(error.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(body);
    }

    static void send(HttpServerResponse response, int status, String message) {
        send(response, ErrorStatus.of(status, message));
    }
}
