package dev.s3music.api;

import io.vertx.ext.web.RoutingContext;

/**
 * How one route area writes a failed request: JSON {@code {status, error, message}} for {@code /api}
 * ({@link ApiErrors#JSON}); later the Subsonic envelope for {@code /rest}, the player's {@code index.html} for a
 * page it routes itself. The status comes from the one shared mapping, {@link ErrorStatus}.
 *
 * <p>Called by the API verticle's failure handler for requests under the area's {@link RouteArea#mountPoint()},
 * only while the status line has not been written (a stream that broke midway is closed instead).
 */
@FunctionalInterface
public interface ErrorRenderer {

    void render(RoutingContext rc, ErrorStatus error);
}
