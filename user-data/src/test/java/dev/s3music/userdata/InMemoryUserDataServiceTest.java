package dev.s3music.userdata;

import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.DomainException;
import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.UserDataCache;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite on the in-memory document store and caches. */
class InMemoryUserDataServiceTest extends UserDataServiceContractTest {

    @Override
    protected DocumentStore newStore() {
        return new InMemoryDocumentStore();
    }

    @Override
    protected UserDataCache newCache() {
        return new InMemoryUserDataCache();
    }

    @Test
    void aFailedWriteKeepsThePlaysAndTheNextTickWritesThem() {
        AtomicBoolean down = new AtomicBoolean(true);
        DocumentStore failing = (DocumentStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DocumentStore.class}, (proxy, method, args) -> down.get()
                ? Future.failedFuture(DomainException.transientFailure("S3 is down", null))
                : method.invoke(store, args));
        StoredUserDataService s = new StoredUserDataService(vertx, failing, newCache(), UserDataConfig.defaults(), clock);
        await(s.played("ana", SONG_A, null));
        await(s.flushDue());
        assertThat(s.hasBufferedPlays()).isTrue();
        assertThat(await(s.library("ana").recover(e -> Future.succeededFuture(null)))).isNull(); // reads fail too
        down.set(false);
        assertThat(await(s.library("ana")).plays(SONG_A).count()).isEqualTo(1); // still counted, once
        await(s.flushDue()); // the next tick, not a minute later: nothing was written
        assertThat(s.hasBufferedPlays()).isFalse();
        assertThat(await(instance().library("ana")).plays(SONG_A).count()).isEqualTo(1);
    }

    @Test
    void aCacheThatIsDownOnlyCostsReadsOfTheStore() {
        UserDataCache down = new UserDataCache() {
            @Override
            public Future<CachedDocument> get(String key) {
                return Future.failedFuture(DomainException.transientFailure("redis: no answer", null));
            }

            @Override
            public Future<Void> offer(String key, CachedDocument entry) {
                return Future.failedFuture(DomainException.transientFailure("redis: no answer", null));
            }
        };
        StoredUserDataService s = new StoredUserDataService(vertx, store, down, UserDataConfig.defaults(), clock);
        await(s.star("ana", ItemKind.SONG, List.of(SONG_A)));
        Playlist p = await(s.createPlaylist("ana", "Still works", null, false, List.of(SONG_A)));
        await(s.updatePlaylist("ana", p.id(), change(List.of(), List.of(SONG_B))));
        await(s.played("ana", SONG_C, null));
        await(s.flush());
        assertThat(await(s.library("ana")).starredAt(ItemKind.SONG, SONG_A)).isEqualTo(T0);
        assertThat(await(s.playlist("ana", p.id())).orElseThrow().songIds()).containsExactly(SONG_A, SONG_B);
        assertThat(await(instance().library("ana")).plays(SONG_C).count()).isEqualTo(1);
    }
}
