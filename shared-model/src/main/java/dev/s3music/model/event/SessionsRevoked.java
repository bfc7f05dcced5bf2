package dev.s3music.model.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Fact published on {@link dev.s3music.model.Addresses#SESSIONS_REVOKED}: these sessions ended (logout, password
 * change, a disabled or deleted account). Every API instance drops them, and every cached session of
 * {@code username} when set, from its in-process cache. Carries token hashes only, never a token.
 */
public record SessionsRevoked(String username, List<String> tokenHashes) {

    public SessionsRevoked {
        tokenHashes = List.copyOf(tokenHashes);
    }

    public JsonObject toJson() {
        return new JsonObject().put("username", username).put("tokenHashes", new JsonArray(tokenHashes));
    }

    public static SessionsRevoked fromJson(JsonObject j) {
        JsonArray a = j.getJsonArray("tokenHashes", new JsonArray());
        return new SessionsRevoked(j.getString("username"), a.stream().map(String::valueOf).toList());
    }
}
