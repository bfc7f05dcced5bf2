package dev.s3music.metadata.discogs;

import io.vertx.core.Future;

/** Waits for a grant of the shared budget before a remote call, and hears when that call ended. */
public interface PermitGate {

    /** A grant id, once the budget allows the call. */
    Future<String> acquire();

    /** The call of this grant ended (answered or failed). */
    Future<Void> completed(String grantId);

    /** For tests of the wire client alone: every call allowed at once. */
    static PermitGate unlimited() {
        return new PermitGate() {
            @Override
            public Future<String> acquire() {
                return Future.succeededFuture("unlimited");
            }

            @Override
            public Future<Void> completed(String grantId) {
                return Future.succeededFuture();
            }
        };
    }
}
