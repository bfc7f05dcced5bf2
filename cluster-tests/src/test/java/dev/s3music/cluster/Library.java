package dev.s3music.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The songs the cluster test uploads: {@code artists x albums x songs} keys whose bodies are the demo library's
 * small tagged files (mp3, flac, ogg, opus, m4a) in turn, so the indexers read real tags. Names include spaces,
 * '+', '&' and non-ASCII letters to exercise the notifications' key encoding. One artist is "Coldplay", whom the
 * fake Discogs knows (ready metadata); the others are unknown to it (not found).
 */
final class Library {

    record Upload(String key, Path body) {
    }

    private static final List<String> ARTISTS = List.of("Coldplay", "Björk Tribute", "Rock + Roll Band",
        "Sigur Rós & Friends", "The Square Roots");

    private Library() {
    }

    /** The launcher's demo library ({@code cluster.demoLibrary}, set by the pom). */
    static Path demoLibrary() {
        return Path.of(System.getProperty("cluster.demoLibrary", "../launcher/demo-library"));
    }

    static List<Upload> plan(Path demoLibrary, int songs, int albumsPerArtist) {
        List<Path> bodies = demoFiles(demoLibrary);
        List<Upload> plan = new ArrayList<>(songs);
        for (int i = 0; i < songs; i++) {
            String artist = ARTISTS.get(i % ARTISTS.size());
            int album = (i / ARTISTS.size()) % albumsPerArtist + 1;
            int track = i / (ARTISTS.size() * albumsPerArtist) + 1;
            Path body = bodies.get(i % bodies.size());
            String ext = body.getFileName().toString().substring(body.getFileName().toString().lastIndexOf('.'));
            String key = artist + "/Album " + album + (album % 2 == 0 ? " (Live)" : "") + "/"
                + String.format("%02d - Song %d%s", track, i, ext);
            plan.add(new Upload(key, body));
        }
        return plan;
    }

    private static List<Path> demoFiles(Path demoLibrary) {
        try (Stream<Path> files = Files.walk(demoLibrary)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
            if (list.isEmpty()) {
                throw new IllegalStateException("no demo files under " + demoLibrary);
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
