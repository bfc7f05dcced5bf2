package dev.s3music.api;

import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code /health/live} (the process answers) and {@code /health/ready} (its dependencies answer). */
final class HealthHandlers {

    private final ObjectStore store;
    private final Catalog catalog;
    private final Duration timeout;

    HealthHandlers(ObjectStore store, Catalog catalog, Duration timeout) {
        this.store = store;
        this.catalog = catalog;
        this.timeout = timeout;
    }

    void live(RoutingContext rc) {
        send(rc, 200, new JsonObject().put("status", "up"));
    }

    /** Checks S3 (the bucket answers) and the catalog (it counts its songs), each with a timeout. */
    void ready(RoutingContext rc) {
        Future<Void> s3 = check(() -> store.check());
        Future<Void> cat = check(() -> catalog.size().mapEmpty());
        Future.join(s3, cat).onComplete(x -> {
            JsonObject checks = new JsonObject()
                .put("s3", result(s3, "bucket " + store.bucket()))
                .put("catalog", result(cat, null));
            boolean up = s3.succeeded() && cat.succeeded();
            send(rc, up ? 200 : 503, new JsonObject().put("status", up ? "up" : "down").put("checks", checks));
        });
    }

    private Future<Void> check(java.util.function.Supplier<Future<Void>> call) {
        Future<Void> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonObject result(Future<Void> f, String what) {
        JsonObject j = new JsonObject().put("status", f.succeeded() ? "up" : "down");
        if (what != null) {
            j.put("target", what);
        }
        if (f.failed()) {
            j.put("error", String.valueOf(f.cause().getMessage()));
        }
        return j;
    }

    private static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(body.encode());
    }
}
