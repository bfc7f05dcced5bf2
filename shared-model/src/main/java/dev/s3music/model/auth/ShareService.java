package dev.s3music.model.auth;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/** Share links: tokens random and stored hashed. */
public interface ShareService {

    /** A new link; {@code token} of the result is shown once. Exactly one of songId and albumId is set. */
    Future<CreatedShare> create(Principal by, String songId, String albumId, Duration expiresIn);

    /** The caller's shares; an admin sees all. */
    Future<List<Share>> list(Principal by);

    /** Revokes a share (the owner or an admin; others get NOT_FOUND). */
    Future<Void> delete(Principal by, String id);

    /** The share of a link's token; fails NOT_FOUND when unknown, expired or revoked. */
    Future<Share> resolve(String token);

    /** A share just made, with its token (the URL is {@code /s/{token}}). */
    record CreatedShare(Share share, String token) {
    }
}
