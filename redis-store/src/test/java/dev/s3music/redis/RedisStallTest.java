package dev.s3music.redis;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.DomainException;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.model.metadata.Priority;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.port.ObjectStore;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.redis.metadata.RedisRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that stops answering (frozen with SIGSTOP: its socket stays open, nothing comes back): every adapter call
 * fails as unavailable within its deadline instead of hanging, the API answers 503, and all works again once Redis
 * resumes. The bound of {@link #failure} (well above the deadline) is what catches a hang.
 */
class RedisStallTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Song SONG = Song.of(SongKey.parse("A/B/01 x.mp3").orElseThrow(), 10, "e", Instant.EPOCH);

    private RedisServerProcess server;
    private Vertx vertx;
    private Redis client;
    private RedisCommands redis;
    private long pid;
    private boolean frozen;

    @BeforeEach
    void start() throws Exception {
        server = RedisServerProcess.start();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4)
            .setMaxPoolWaiting(100));
        redis = RedisCommands.of(client, TIMEOUT);
        // the raw client: a first connection on a busy machine may take longer than the deadline under test
        String info = client.send(Request.cmd(Command.INFO).arg("server")).await(10, TimeUnit.SECONDS).toString();
        pid = info.lines().filter(l -> l.startsWith("process_id:")).map(l -> Long.parseLong(l.substring(11).strip()))
            .findFirst().orElseThrow();
        assertThat(ProcessHandle.of(pid)).isPresent();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (frozen) {
                signal("CONT");
            }
            client.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    private void signal(String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        frozen = sig.equals("STOP");
    }

    /** The failure of a call on a frozen Redis; an AssertionError when it succeeds or has not failed in 10 s. */
    private static Throwable failure(Supplier<Future<?>> call) {
        try {
            call.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no failure within 10 s: the call hangs", e);
        }
        throw new AssertionError("succeeded on a frozen Redis");
    }

    /** The first success of a call retried for at most 50 attempts (a resumed Redis, a busy machine). */
    private static <T> T eventually(Supplier<Future<T>> call) throws Exception {
        Throwable last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return call.get().await(10, TimeUnit.SECONDS);
            } catch (DomainException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no success after Redis resumed", last);
    }

    private static void assertUnavailable(Throwable t) {
        assertThat(DomainException.is(t, DomainException.Kind.TRANSIENT)).as(String.valueOf(t)).isTrue();
        assertThat(t.getMessage()).contains("no answer").contains(TIMEOUT.toMillis() + " ms");
    }

    @Test
    void everyAdapterFailsAsUnavailableWhenRedisStopsAnsweringAndRecoversAfter() throws Exception {
        RedisCatalog catalog = new RedisCatalog(redis, "t:");
        RedisLookupQueue queue = new RedisLookupQueue(redis, "m:");
        RedisMetadataCache cache = new RedisMetadataCache(redis, "m:");
        RedisRateLimiter limiter = new RedisRateLimiter(redis, "d:", 60, Duration.ofSeconds(60), Duration.ZERO);
        eventually(() -> catalog.upsert(SONG)); // warms the pool and the scripts

        signal("STOP");
        List<Supplier<Future<?>>> calls = List.of(
            () -> catalog.song(SONG.id()), () -> catalog.artists(0, 10), () -> catalog.artist(SONG.artistId()),
            () -> catalog.album(SONG.albumId()), () -> catalog.search("x", 5), () -> catalog.upsert(SONG),
            () -> catalog.remove(SONG.key()), () -> queue.offer(LookupJob.of(MetadataRef.song(SONG)), Priority.USER),
            () -> queue.take(1000), () -> cache.get("k"), () -> limiter.tryAcquire());
        for (Supplier<Future<?>> call : calls) {
            assertUnavailable(failure(call));
        }

        signal("CONT");
        assertThat(eventually(() -> catalog.song(SONG.id()))).contains(SONG);
        assertThat(eventually(limiter::tryAcquire).granted()).isTrue();
    }

    @Test
    void theApiAnswers503WhenRedisStopsAnswering() throws Exception {
        RedisCatalog catalog = new RedisCatalog(redis, "t:");
        eventually(() -> catalog.upsert(SONG));
        ObjectStore store = (ObjectStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{ObjectStore.class}, (proxy, m, args) -> switch (m.getName()) {
                case "bucket" -> "none";
                case "toString" -> "no store";
                default -> Future.failedFuture("no store in this test");
            });
        HttpApiVerticle api = new HttpApiVerticle(new ApiConfig("127.0.0.1", 0, Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMillis(300)), catalog, store, MetadataReader.unavailable());
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        WebClient web = WebClient.create(vertx);
        String path = "/api/songs/" + SONG.id();
        assertThat(web.get(api.actualPort(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS).statusCode())
            .isEqualTo(200);

        signal("STOP");
        for (String uri : List.of(path, "/api/artists", "/api/artists/" + SONG.artistId(), "/api/search?q=x")) {
            var r = web.get(api.actualPort(), "127.0.0.1", uri).timeout(10_000).send().await(15, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(uri + " " + r.bodyAsString()).isEqualTo(503);
            assertThat(r.getHeader("Retry-After")).isNotNull();
        }

        signal("CONT");
        int status = eventually(() -> web.get(api.actualPort(), "127.0.0.1", path).send()
            .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.statusCode())
                : Future.failedFuture(DomainException.transientFailure("status " + r.statusCode(), null))));
        assertThat(status).isEqualTo(200);
    }
}
