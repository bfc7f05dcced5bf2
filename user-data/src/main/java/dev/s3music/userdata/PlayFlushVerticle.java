package dev.s3music.userdata;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Writes buffered plays: every {@code flushEvery / 6} it writes those of each user whose last write was at least
 * {@code flushEvery} ago (so a user's plays reach S3 within about {@code flushEvery} and with at most one PUT per
 * {@code flushEvery}), and at undeploy (the process stops: Vert.x closes its verticles before the S3 client
 * closes) every buffered play. One per process.
 */
public final class PlayFlushVerticle extends VerticleBase {

    private final StoredUserDataService service;
    private long timer = -1;

    public PlayFlushVerticle(StoredUserDataService service) {
        this.service = service;
    }

    @Override
    public Future<?> start() {
        long tick = Math.max(100, service.config().flushEvery().toMillis() / 6);
        timer = vertx.setPeriodic(tick, id -> service.flushDue());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return service.flush();
    }
}
