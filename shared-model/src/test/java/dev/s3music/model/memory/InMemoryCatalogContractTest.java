package dev.s3music.model.memory;

import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.CatalogContractTest;

class InMemoryCatalogContractTest extends CatalogContractTest {
    @Override
    protected Catalog newCatalog() {
        return new InMemoryCatalog();
    }
}
