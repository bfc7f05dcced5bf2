package dev.s3music.s3;

import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.port.DocumentStore;

class InMemoryDocumentStoreContractTest extends DocumentStoreContractTest {
    @Override
    protected DocumentStore newStore() {
        return new InMemoryDocumentStore();
    }
}
