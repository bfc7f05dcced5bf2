package dev.s3music.model.memory;

import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.model.user.UserDataCacheContractTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryUserDataCacheContractTest extends UserDataCacheContractTest {

    @Override
    protected UserDataCache newCache() {
        return new InMemoryUserDataCache();
    }

    @Test
    void theLeastRecentlyUsedLeaveBeyondTheCapacity() {
        InMemoryUserDataCache small = new InMemoryUserDataCache(2);
        await(small.offer("a", new CachedDocument(new JsonObject(), "a", 1)));
        await(small.offer("b", new CachedDocument(new JsonObject(), "b", 1)));
        await(small.get("a"));
        await(small.offer("c", new CachedDocument(new JsonObject(), "c", 1)));
        assertThat(await(small.get("b"))).isNull();
        assertThat(await(small.get("a"))).isNotNull();
        assertThat(small.size()).isEqualTo(2);
    }
}
