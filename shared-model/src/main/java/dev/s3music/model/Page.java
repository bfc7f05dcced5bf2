package dev.s3music.model;

import java.util.List;

/** One page of a listing: {@code items} from {@code offset}, at most {@code limit}, of {@code total}. */
public record Page<T>(List<T> items, int offset, int limit, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
