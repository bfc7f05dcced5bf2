package dev.s3music.redis.user;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.redis.RedisCommands;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import dev.s3music.userdata.CountingDocumentStore;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import dev.s3music.userdata.UserDataServiceContractTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user-data suite as production runs it: documents on S3Proxy (filesystem, as the embedded server), instances
 * sharing one redis-server; and what only Redis adds: a restart with an empty Redis shows the same data.
 */
class RedisUserDataServiceTest extends UserDataServiceContractTest {

    private static final String BUCKET = "music";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static Vertx clients;
    static S3ObjectStore s3Store;
    static RedisServerProcess server;
    static Redis redis;
    private String prefix;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        clients = Vertx.vertx();
        s3Store = S3ObjectStore.create(clients, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        server = RedisServerProcess.start();
        redis = Redis.createClient(clients, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(8));
    }

    @AfterAll
    static void stopServers() throws Exception {
        redis.close();
        s3Store.close();
        await(clients.close());
        server.close();
        s3.close();
    }

    @Override
    protected DocumentStore newStore() {
        prefix = "t:" + UUID.randomUUID() + ":";
        return s3Store.documents(".s3music/test-" + UUID.randomUUID() + "/");
    }

    @Override
    protected UserDataCache newCache() {
        return new RedisUserDataCache(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), prefix);
    }

    @Test
    void aRestartWithAnEmptyRedisShowsTheSameData() {
        StoredUserDataService before = instance();
        await(before.star("ana", ItemKind.SONG, List.of(SONG_A, SONG_B)));
        await(before.star("ana", ItemKind.ARTIST, List.of(SONG_C)));
        await(before.rate("ana", ItemKind.ALBUM, SONG_B, 4));
        PlayQueue queue = await(before.saveQueue("ana", new PlayQueue(List.of(SONG_C, SONG_A), 1, 42_000, null, "web")));
        Playlist p = await(before.createPlaylist("ana", "Lesson 3", "scales first", false, List.of(SONG_A, SONG_B)));
        await(before.updatePlaylist("ana", p.id(), change(List.of(0), List.of(SONG_C))));
        await(before.played("ana", SONG_A, null));
        await(before.flush()); // the graceful stop

        await(redis.send(Request.cmd(Command.FLUSHALL)));
        assertThat(await(redis.send(Request.cmd(Command.DBSIZE))).toLong()).isZero();

        CountingDocumentStore counting = new CountingDocumentStore(store);
        StoredUserDataService after = new StoredUserDataService(vertx, counting, newCache(), UserDataConfig.defaults(),
            clock);
        assertThat(await(after.library("ana")).starred()).isEqualTo(await(before.library("ana")).starred());
        assertThat(await(after.library("ana")).rating(ItemKind.ALBUM, SONG_B)).isEqualTo(4);
        assertThat(await(after.library("ana")).plays(SONG_A).count()).isEqualTo(1);
        assertThat(await(after.queue("ana"))).isEqualTo(queue);
        assertThat(await(after.playlist("ana", p.id())).orElseThrow().songIds()).containsExactly(SONG_B, SONG_C);
        assertThat(await(after.playlists("ana"))).extracting(Playlist::name).containsExactly("Lesson 3");
        // rebuilt: the second round is served by Redis, no S3 GET
        long reads = counting.reads();
        await(after.library("ana"));
        await(after.queue("ana"));
        await(after.playlist("ana", p.id()));
        assertThat(counting.reads()).isEqualTo(reads);
        assertThat(await(redis.send(Request.cmd(Command.DBSIZE))).toLong()).isPositive();
    }
}
