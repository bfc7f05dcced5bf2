package dev.s3music.redis.auth;

import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.Session;
import dev.s3music.model.auth.SessionStore;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Sessions in Redis. Layout under the hash-tagged prefix (e.g. {@code {s3music:auth:}}):
 * <ul>
 *   <li>{@code s:<tokenHash>}: a hash {@code u} (username), {@code r} (role), {@code c}, {@code l}, {@code e},
 *   {@code i} (created, last seen, absolute and idle expiry, epoch ms); it expires (PEXPIREAT) when the session ends,
 *   so Redis forgets ended sessions on its own;</li>
 *   <li>{@code u:<base64url(username)>}: a sorted set of the user's token hashes scored by their absolute expiry,
 *   for {@code revokeAll}; members past their expiry are pruned at each put, and the set expires with its last
 *   member.</li>
 * </ul>
 * Writes that touch both keys are one Lua script (both keys in {@code KEYS}, one slot thanks to the tag).
 */
public final class RedisSessionStore implements SessionStore {

    private static final LuaScript PUT = new LuaScript("session-put", """
        redis.call('HSET', KEYS[1], 'u', ARGV[1], 'r', ARGV[2], 'c', ARGV[3], 'l', ARGV[4], 'e', ARGV[5], 'i', ARGV[6])
        redis.call('PEXPIREAT', KEYS[1], math.min(tonumber(ARGV[5]), tonumber(ARGV[6])))
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[7])
        redis.call('ZADD', KEYS[2], ARGV[5], ARGV[8])
        local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[2], tonumber(last[2]))
        return 0
        """);

    /** Touches only a session that still exists: a revoked one is never brought back. */
    private static final LuaScript TOUCH = new LuaScript("session-touch", """
        local e = redis.call('HGET', KEYS[1], 'e')
        if not e then
          return 0
        end
        local i = math.min(tonumber(e), tonumber(ARGV[2]))
        redis.call('HSET', KEYS[1], 'l', ARGV[1], 'i', string.format('%.0f', i))
        redis.call('PEXPIREAT', KEYS[1], i)
        return 1
        """);

    private static final LuaScript REVOKE = new LuaScript("session-revoke", """
        redis.call('ZREM', KEYS[2], ARGV[1])
        return redis.call('DEL', KEYS[1])
        """);

    private final RedisCommands redis;
    private final String prefix;

    /** @param keyPrefix e.g. {@code s3music:auth:}; hash-tagged ({@link RedisKeys#hashTagged}) */
    public RedisSessionStore(RedisCommands redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = RedisKeys.hashTagged(keyPrefix);
    }

    private String sessionKey(String tokenHash) {
        return prefix + "s:" + tokenHash;
    }

    private String userKey(String username) {
        return prefix + "u:" + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(username.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Future<Void> put(Session s) {
        return redis.eval(PUT, List.of(sessionKey(s.tokenHash()), userKey(s.username())), List.of(
                s.username(), s.role().wire(), ms(s.created()), ms(s.lastSeen()), ms(s.expiresAt()),
                ms(s.idleExpiresAt()), String.valueOf(System.currentTimeMillis()), s.tokenHash()))
            .mapEmpty();
    }

    @Override
    public Future<Session> get(String tokenHash) {
        return redis.send(Request.cmd(Command.HGETALL).arg(sessionKey(tokenHash))).map(r -> {
            if (r == null || r.size() == 0 || r.get("u") == null) {
                return null;
            }
            Role role = Role.ofWire(r.get("r").toString());
            if (role == null) {
                return null;
            }
            return new Session(tokenHash, r.get("u").toString(), role, instant(r, "c"), instant(r, "l"),
                instant(r, "e"), instant(r, "i"));
        });
    }

    @Override
    public Future<Void> touch(String tokenHash, Instant lastSeen, Instant idleExpiresAt) {
        return redis.eval(TOUCH, List.of(sessionKey(tokenHash)), List.of(ms(lastSeen), ms(idleExpiresAt))).mapEmpty();
    }

    @Override
    public Future<Boolean> revoke(String tokenHash) {
        String key = sessionKey(tokenHash);
        return redis.send(Request.cmd(Command.HGET).arg(key).arg("u")).compose(u -> u == null
            ? Future.succeededFuture(false)
            : redis.eval(REVOKE, List.of(key, userKey(u.toString())), List.of(tokenHash)).map(n -> n.toLong() > 0));
    }

    /**
     * Not one atomic step (the members' keys are not known before reading the set), and need not be: a session put
     * while this runs is caught by the caller, which re-reads the account after storing a session.
     */
    @Override
    public Future<List<String>> revokeAll(String username, String keepTokenHash) {
        String userKey = userKey(username);
        return redis.send(Request.cmd(Command.ZRANGE).arg(userKey).arg(0).arg(-1)).compose(members -> {
            List<String> hashes = new ArrayList<>();
            if (members != null) {
                for (Response m : members) {
                    if (!m.toString().equals(keepTokenHash)) {
                        hashes.add(m.toString());
                    }
                }
            }
            if (hashes.isEmpty()) {
                return Future.succeededFuture(List.<String>of());
            }
            List<Request> batch = new ArrayList<>();
            for (String h : hashes) {
                batch.add(Request.cmd(Command.DEL).arg(sessionKey(h)));
            }
            Request zrem = Request.cmd(Command.ZREM).arg(userKey);
            hashes.forEach(zrem::arg);
            batch.add(zrem);
            return redis.batch(batch).map(replies -> {
                List<String> removed = new ArrayList<>();
                for (int i = 0; i < hashes.size(); i++) {
                    if (replies.get(i) != null && replies.get(i).toLong() > 0) {
                        removed.add(hashes.get(i));
                    }
                }
                return removed;
            });
        });
    }

    private static String ms(Instant t) {
        return String.valueOf(t.toEpochMilli());
    }

    private static Instant instant(Response r, String field) {
        return Instant.ofEpochMilli(r.get(field).toLong());
    }
}
