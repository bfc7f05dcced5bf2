package dev.s3music.model;

/** A genre as the songs' tags spell it (the most common spelling of its sort key), with what it holds. */
public record GenreCount(String name, int songCount, int albumCount) {
}
