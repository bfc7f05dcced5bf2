package dev.s3music.accounts;

import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Vertx;

class InMemoryAccountDocumentsTest extends AccountDocumentsContractTest {
    @Override
    protected DocumentStore newStore(Vertx vertx) {
        return new InMemoryDocumentStore();
    }
}
