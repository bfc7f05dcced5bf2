package dev.s3music.metadata.model;

import java.util.List;

/** What the provider knows about artists and albums, mapped from its wire shapes. Lists are never null. */
public final class Details {

    private Details() {
    }

    /**
     * An image as the provider links it. Discogs image URLs are signed: they are kept verbatim and shown as links,
     * never rewritten or proxied through a changed URL.
     */
    public record Image(String type, String uri, String uri150, Integer width, Integer height) {
    }

    /** A credit (Discogs "extraartists"). */
    public record Credit(String name, Long id, String role, String tracks) {
    }

    public record Label(String name, String catno) {
    }

    /**
     * One tracklist entry.
     *
     * @param type track, heading (a section title, not playable) or index (a work made of sub-tracks)
     */
    public record Track(String position, String type, String title, String duration, List<String> artists,
                        List<Credit> credits, List<Track> subTracks) {

        public boolean isHeading() {
            return "heading".equals(type);
        }

        public boolean isIndex() {
            return "index".equals(type);
        }
    }

    public record Artist(long id, String name, String realName, String profile, String uri, List<Image> images,
                         List<String> urls, List<String> members, List<String> nameVariations) {
    }

    /** A master (the album as a work) or one of its releases. */
    public record Album(long id, Candidate.Type kind, String title, String artist, Integer year, String released,
                        String country, List<String> genres, List<String> styles, List<Label> labels,
                        List<Image> images, List<Track> tracklist, List<Credit> credits, String uri,
                        Long masterId) {
    }
}
