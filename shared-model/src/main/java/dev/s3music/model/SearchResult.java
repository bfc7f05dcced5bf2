package dev.s3music.model;

import java.util.List;

public record SearchResult(List<ArtistSummary> artists, List<AlbumSummary> albums, List<Song> songs) {
    public SearchResult {
        artists = List.copyOf(artists);
        albums = List.copyOf(albums);
        songs = List.copyOf(songs);
    }
}
