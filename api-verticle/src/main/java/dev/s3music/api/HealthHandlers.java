package dev.s3music.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (its dependencies answer and it is not
 * draining for a shutdown). The checks come from the {@link Readiness} the composition root built for its role.
 */
final class HealthHandlers {

    private final Readiness readiness;
    private final boolean details;

    /** @param details whether {@code /health/ready} shows each check (target, error): the management port only */
    HealthHandlers(Readiness readiness, boolean details) {
        this.readiness = readiness;
        this.details = details;
    }

    void live(RoutingContext rc) {
        send(rc, 200, new JsonObject().put("status", "up"));
    }

    /**
     * 200 when every check answered within its timeout, else 503 (also while draining); with details, naming each
     * check, its target and what failed.
     */
    void ready(RoutingContext rc) {
        readiness.evaluate().onComplete(ar -> {
            if (ar.succeeded()) {
                send(rc, ar.result().ready() ? 200 : 503, details ? ar.result().body() : ar.result().publicBody());
            } else {
                send(rc, 503, new JsonObject().put("status", "down"));
            }
        });
    }

    private static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(body.encode());
    }
}
