package dev.s3music.model;

import java.util.List;
import java.util.Objects;

/**
 * One page of a document listing, in key order: keys relative to the store (as given to {@code get}), each
 * with its version; {@code cursor} continues the listing and is null on the last page.
 */
public record DocumentPage(List<Entry> documents, String cursor) {

    public DocumentPage {
        documents = List.copyOf(documents);
    }

    /** A listed document: its key and its current version (ETag). */
    public record Entry(String key, String version) {
        public Entry {
            Objects.requireNonNull(key, "key");
        }
    }

    public List<String> keys() {
        return documents.stream().map(Entry::key).toList();
    }
}
