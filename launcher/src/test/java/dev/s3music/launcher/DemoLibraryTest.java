package dev.s3music.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DemoLibraryTest {

    @Test
    void copiesTheDemoLibraryIntoAMissingFolder(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("My Music");

        int copied = DemoLibrary.installIfEmpty(music);

        assertThat(copied).isEqualTo(9);
        assertThat(music.resolve("Ada Sine/First Waves/01 - Morning Tone.mp3")).isRegularFile();
        try (Stream<Path> files = Files.walk(music)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                .hasSize(9)
                .anyMatch(n -> n.endsWith(".flac")).anyMatch(n -> n.endsWith(".ogg"))
                .anyMatch(n -> n.endsWith(".opus")).anyMatch(n -> n.endsWith(".m4a"));
        }
    }

    @Test
    void leavesAFolderWithAnythingInItUntouched(@TempDir Path music) throws Exception {
        Files.writeString(music.resolve("notes.txt"), "mine");

        int copied = DemoLibrary.installIfEmpty(music);

        assertThat(copied).isZero();
        try (Stream<Path> entries = Files.list(music)) {
            assertThat(entries).containsExactly(music.resolve("notes.txt"));
        }
    }

    @Test
    void bucketFolderCloseRemovesTheLinkButNeverTheMusic(@TempDir Path music) throws Exception {
        Files.writeString(music.resolve("song.mp3"), "x");
        EmbeddedBucketFolder folder = EmbeddedBucketFolder.create(music, "music");
        Path link = folder.baseDir().resolve("music");
        assertThat(link.resolve("song.mp3")).hasContent("x");

        folder.close();

        assertThat(link).doesNotExist();
        assertThat(folder.baseDir()).doesNotExist();
        assertThat(music.resolve("song.mp3")).hasContent("x");
    }
}
