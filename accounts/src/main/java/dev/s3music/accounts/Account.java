package dev.s3music.accounts;

import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.UserView;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * An account as stored in {@code accounts/<key>.json}. {@code generation} grows with every change that must end
 * sessions (password, role, disabled): a sign-in that raced such a change sees it move and drops its new session.
 */
record Account(String username, Role role, boolean disabled, String hash, Instant created, Instant changed,
               long generation) {

    Account {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hash, "hash");
    }

    UserView view() {
        return new UserView(username, role, disabled, created);
    }

    Account withHash(String h, Instant at, boolean revoke) {
        return new Account(username, role, disabled, h, created, at, revoke ? generation + 1 : generation);
    }

    Account with(Role r, boolean d, Instant at) {
        boolean revoke = r != role || d != disabled;
        return new Account(username, r, d, hash, created, at, revoke ? generation + 1 : generation);
    }

    JsonObject toJson() {
        return new JsonObject()
            .put("v", 1)
            .put("username", username)
            .put("role", role.wire())
            .put("disabled", disabled)
            .put("hash", hash)
            .put("created", created.toString())
            .put("changed", changed.toString())
            .put("generation", generation);
    }

    static Account fromJson(JsonObject j) {
        Role role = Role.ofWire(j.getString("role"));
        if (role == null) {
            throw new IllegalArgumentException("account document with unknown role " + j.getString("role"));
        }
        return new Account(j.getString("username"), role, j.getBoolean("disabled", false), j.getString("hash"),
            Instant.parse(j.getString("created")), Instant.parse(j.getString("changed")), j.getLong("generation", 0L));
    }
}
