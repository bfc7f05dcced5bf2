package dev.s3music.indexer.catalog;

import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;

class InMemoryCatalogContractTest extends CatalogContractTest {
    @Override
    protected Catalog newCatalog() {
        return new InMemoryCatalog();
    }
}
