package dev.s3music.model;

import java.util.List;

/** One page of a bucket listing; {@code nextToken} is null on the last page. */
public record ObjectListing(List<ObjectInfo> objects, String nextToken) {
    public ObjectListing {
        objects = List.copyOf(objects);
    }
}
