package dev.s3music.model.user;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every user-data cache shares; run against the in-memory and the Redis cache. */
public abstract class UserDataCacheContractTest {

    protected UserDataCache cache;

    protected abstract UserDataCache newCache();

    @BeforeEach
    protected void setUpCache() {
        cache = newCache();
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnknownKeyIsAMiss() {
        assertThat(await(cache.get("users/x/library.json"))).isNull();
    }

    @Test
    void keepsDocumentsAndAbsenceWithTheirVersionAndRev() {
        JsonObject doc = new JsonObject().put("rev", 3).put("songIds", List.of("a", "b")).put("name", "Études");
        await(cache.offer("playlists/p.json", new CachedDocument(doc, "v3", 3)));
        await(cache.offer("users/u/queue.json", CachedDocument.absent(0)));
        CachedDocument got = await(cache.get("playlists/p.json"));
        assertThat(got).isEqualTo(new CachedDocument(doc, "v3", 3));
        doc.put("name", "changed by the caller");
        assertThat(await(cache.get("playlists/p.json")).document().getString("name")).isEqualTo("Études");
        CachedDocument none = await(cache.get("users/u/queue.json"));
        assertThat(none.exists()).isFalse();
        assertThat(none.rev()).isZero();
    }

    @Test
    void theHighestRevWinsWhateverTheOrder() {
        await(cache.offer("k", new CachedDocument(new JsonObject().put("n", 5), "v5", 5)));
        await(cache.offer("k", new CachedDocument(new JsonObject().put("n", 4), "v4", 4)));
        await(cache.offer("k", new CachedDocument(new JsonObject().put("n", 5), "v5bis", 5)));
        assertThat(await(cache.get("k")).version()).isEqualTo("v5");
        await(cache.offer("k", CachedDocument.absent(6))); // a deletion's tombstone
        assertThat(await(cache.get("k")).exists()).isFalse();
        await(cache.offer("k", new CachedDocument(new JsonObject(), "v5", 5))); // a late reader
        assertThat(await(cache.get("k")).exists()).isFalse();
    }

    @Test
    void racingOffersKeepTheHighest() {
        List<Integer> revs = new ArrayList<>(IntStream.rangeClosed(1, 50).boxed().toList());
        Collections.shuffle(revs);
        await(Future.all(revs.stream().map(r -> cache.offer("race",
            new CachedDocument(new JsonObject().put("rev", r), "v" + r, r))).toList()));
        assertThat(await(cache.get("race")).rev()).isEqualTo(50);
    }
}
