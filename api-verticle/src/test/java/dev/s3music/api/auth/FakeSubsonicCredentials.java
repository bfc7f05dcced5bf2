package dev.s3music.api.auth;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.SubsonicCredentials;
import io.vertx.core.Future;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory Subsonic credentials for the auth area's tests: issues app passwords and keys and checks keys. */
public final class FakeSubsonicCredentials implements SubsonicCredentials {

    final Map<String, String> appPasswords = new ConcurrentHashMap<>();
    final Map<String, Principal> apiKeys = new ConcurrentHashMap<>();

    @Override
    public Future<Principal> password(String username, String password, String client) {
        return Future.failedFuture(DomainException.unauthenticated("invalid_credentials"));
    }

    @Override
    public Future<Principal> token(String username, String token, String salt, String client) {
        return Future.failedFuture(DomainException.unauthenticated("invalid_credentials"));
    }

    @Override
    public Future<Principal> apiKey(String apiKey, String client) {
        Principal p = apiKeys.get(apiKey);
        return p == null ? Future.failedFuture(DomainException.unauthenticated("invalid_credentials"))
            : Future.succeededFuture(p);
    }

    @Override
    public Future<String> newAppPassword(Principal who) {
        String pw = UUID.randomUUID().toString();
        appPasswords.put(who.username(), pw);
        return Future.succeededFuture(pw);
    }

    @Override
    public Future<String> newApiKey(Principal who) {
        String key = UUID.randomUUID().toString();
        apiKeys.put(key, who);
        return Future.succeededFuture(key);
    }
}
