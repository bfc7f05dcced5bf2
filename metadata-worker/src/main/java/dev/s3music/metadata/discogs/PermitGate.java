package dev.s3music.metadata.discogs;

import io.vertx.core.Future;

/** Waits for one permit of the shared budget before a remote call. */
@FunctionalInterface
public interface PermitGate {

    Future<Void> acquire();
}
