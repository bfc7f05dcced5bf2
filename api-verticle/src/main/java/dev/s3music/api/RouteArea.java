package dev.s3music.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * One HTTP feature area, mounted by {@link HttpApiVerticle}: catalog and streaming under {@code /api}, health,
 * metrics; next auth, the web player at {@code /}, the Subsonic API at {@code /rest}, share links at {@code /s}.
 *
 * <p>An area brings three things: its routes ({@link #router}), the declaration of who may call each of them
 * ({@link #routes()}, gathered by the verticle into the one {@link RouteTable}), and how its failures look
 * ({@link #errorRenderer()}; the status always comes from {@link ErrorStatus}). To add an area: implement this in
 * the area's own package and add it to the list the composition root gives the verticle (see the module README).
 *
 * <p>One area object serves every verticle instance: {@link #router} is called once per instance, on that
 * instance's context, and must build a fresh router; whatever else the area holds must be thread-safe.
 */
public interface RouteArea {

    /** Short name, for logs and the route table ({@code api}, {@code health}, {@code metrics}). */
    String name();

    /**
     * The path prefix the area owns ({@code /api}, {@code /health}, {@code /metrics}; {@code /} for a catch-all):
     * failures of requests under it are rendered by this area's {@link #errorRenderer()} (the longest prefix wins),
     * and every rule of {@link #routes()} lies under it.
     */
    String mountPoint();

    /** Every route the area serves, with who may call it. */
    List<RouteRule> routes();

    /**
     * Builds the area's router, with absolute paths (the verticle mounts it at the root, in list order, after the
     * request log and the drain check). A request the area does not answer must fall through (no catch-all 404 in
     * here: the verticle renders unknown paths).
     */
    Future<Router> router(Vertx vertx);

    /** How this area's failures are written; JSON ({@link ApiErrors#JSON}) unless the area's clients need other. */
    default ErrorRenderer errorRenderer() {
        return ApiErrors.JSON;
    }
}
