package dev.s3music.userdata;

import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.UserDataCache;

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
}
