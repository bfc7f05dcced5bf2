package dev.s3music.model.memory;

import dev.s3music.model.auth.SessionStore;
import dev.s3music.model.auth.SessionStoreContractTest;

class InMemorySessionStoreContractTest extends SessionStoreContractTest {
    @Override
    protected SessionStore newStore() {
        return new InMemorySessionStore();
    }
}
