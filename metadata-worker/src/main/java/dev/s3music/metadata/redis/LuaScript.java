package dev.s3music.metadata.redis;

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

/**
 * A Lua script run atomically by Redis: EVALSHA, and EVAL once when the server does not know it yet (after a
 * restart or a flush). The Vert.x Redis client has no script helper, hence this small one.
 */
final class LuaScript {

    private final String source;
    private final String sha;

    LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
