package dev.s3music.model;

import java.util.List;

/** An album folder with its songs in play order (disc, track, title). */
public record Album(String id, String name, ArtistSummary artist, List<Song> songs) {
    public Album {
        songs = List.copyOf(songs);
    }
}
