package dev.s3music.model;

import java.util.List;

/** An artist folder with its albums in display order. */
public record Artist(String id, String name, List<AlbumSummary> albums) {
    public Artist {
        albums = List.copyOf(albums);
    }
}
