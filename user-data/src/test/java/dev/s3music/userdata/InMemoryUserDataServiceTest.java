package dev.s3music.userdata;

import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.DomainException;
import dev.s3music.model.user.UserDataCache;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

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
}
