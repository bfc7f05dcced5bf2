package dev.s3music.model;

public record ArtistSummary(String id, String name) {
}
