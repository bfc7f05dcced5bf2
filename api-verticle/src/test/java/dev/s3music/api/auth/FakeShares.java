package dev.s3music.api.auth;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Share;
import dev.s3music.model.auth.ShareService;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory stand-in for the accounts module's share links (tokens kept as they are). */
public final class FakeShares implements ShareService {

    private final Map<String, Share> byToken = new ConcurrentHashMap<>();

    @Override
    public Future<CreatedShare> create(Principal by, String songId, String albumId, Duration expiresIn) {
        Instant now = Instant.now();
        Share s = new Share(UUID.randomUUID().toString(), by.username(), songId, albumId, now, now.plus(expiresIn));
        String token = UUID.randomUUID().toString().replace("-", "");
        byToken.put(token, s);
        return Future.succeededFuture(new CreatedShare(s, token));
    }

    /** A share that expired a second ago. */
    String expired(String songId) {
        Instant now = Instant.now();
        String token = UUID.randomUUID().toString().replace("-", "");
        byToken.put(token, new Share(UUID.randomUUID().toString(), "admin", songId, null, now.minusSeconds(60),
            now.minusSeconds(1)));
        return token;
    }

    @Override
    public Future<List<Share>> list(Principal by) {
        return Future.succeededFuture(byToken.values().stream()
            .filter(s -> by.isAdmin() || s.owner().equals(by.username())).toList());
    }

    @Override
    public Future<Void> delete(Principal by, String id) {
        boolean removed = byToken.values().removeIf(s -> s.id().equals(id)
            && (by.isAdmin() || s.owner().equals(by.username())));
        return removed ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("share " + id));
    }

    @Override
    public Future<Share> resolve(String token) {
        Share s = byToken.get(token);
        if (s == null || !s.expiresAt().isAfter(Instant.now())) {
            return Future.failedFuture(DomainException.notFound("share link"));
        }
        return Future.succeededFuture(s);
    }
}
