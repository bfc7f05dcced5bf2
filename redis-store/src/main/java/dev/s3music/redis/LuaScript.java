package dev.s3music.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A Lua script run atomically by Redis: EVALSHA, and EVAL once when the server does not know it yet (after a
 * restart or a {@code SCRIPT FLUSH}). The Vert.x Redis client has no script helper, hence this small one; run it
 * through {@link RedisCommands#eval} (deadline and error mapping).
 *
 * <p>Rule for every script: it touches only the keys passed in {@code KEYS}, never a key name built inside Lua.
 * Redis needs that to route a script on a cluster, and the adapters give all their keys one hash tag
 * ({@link RedisKeys#hashTagged}) so they live in one slot.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;

    public LuaScript(String name, String source) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    Future<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
            .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                ? redis.send(request(Command.EVAL, source, keys, args))
                : Future.failedFuture(e));
    }

    private static Request request(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
        Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }
}
