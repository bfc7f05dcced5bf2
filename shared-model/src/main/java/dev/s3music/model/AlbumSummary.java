package dev.s3music.model;

public record AlbumSummary(String id, String name) {
}
