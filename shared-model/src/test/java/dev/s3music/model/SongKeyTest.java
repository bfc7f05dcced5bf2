package dev.s3music.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SongKeyTest {

    @Test
    void parsesTheNormalArtistAlbumSongShape() {
        SongKey k = SongKey.parse("Miles Davis/Kind of Blue/03 - Blue in Green.flac").orElseThrow();
        assertThat(k.artistName()).isEqualTo("Miles Davis");
        assertThat(k.albumName()).isEqualTo("Kind of Blue");
        assertThat(k.title()).isEqualTo("Blue in Green");
        assertThat(k.track()).isEqualTo(3);
        assertThat(k.disc()).isNull();
        assertThat(k.format()).isEqualTo("flac");
        assertThat(k.subFolders()).isEmpty();
    }

    @Test
    void stripsLeadingTrackNumberAndExtension() {
        SongKey k = SongKey.parse("A/B/07 - Blue in Green.flac").orElseThrow();
        assertThat(k.title()).isEqualTo("Blue in Green");
        assertThat(k.track()).isEqualTo(7);
        assertThat(SongKey.parse("A/B/07. Intro.mp3").orElseThrow().title()).isEqualTo("Intro");
        assertThat(SongKey.parse("A/B/07 Intro.mp3").orElseThrow().track()).isEqualTo(7);
        assertThat(SongKey.parse("A/B/7-Intro.mp3").orElseThrow().title()).isEqualTo("Intro");
    }

    @Test
    void readsDiscAndTrackFromFileName() {
        SongKey k = SongKey.parse("A/B/2-05 Song.mp3").orElseThrow();
        assertThat(k.disc()).isEqualTo(2);
        assertThat(k.track()).isEqualTo(5);
        assertThat(k.title()).isEqualTo("Song");
    }

    @Test
    void keepsATitleThatIsOnlyANumber() {
        SongKey k = SongKey.parse("Smashing Pumpkins/Mellon Collie/1979.mp3").orElseThrow();
        assertThat(k.title()).isEqualTo("1979");
        assertThat(k.track()).isNull();
    }

    @Test
    void keepsDeeperFoldersAsDiscInformation() {
        SongKey k = SongKey.parse("Artist/Album/CD1/01 x.flac").orElseThrow();
        assertThat(k.artistName()).isEqualTo("Artist");
        assertThat(k.albumName()).isEqualTo("Album");
        assertThat(k.subFolders()).isEqualTo(List.of("CD1"));
        assertThat(k.disc()).isEqualTo(1);
        assertThat(k.track()).isEqualTo(1);
        assertThat(k.title()).isEqualTo("x");
        assertThat(SongKey.parse("A/B/Disc 2/03 y.mp3").orElseThrow().disc()).isEqualTo(2);
        SongKey bonus = SongKey.parse("A/B/Bonus/Live/01 z.mp3").orElseThrow();
        assertThat(bonus.subFolderPath()).isEqualTo("Bonus/Live");
        assertThat(bonus.disc()).isNull();
        assertThat(bonus.albumId()).isEqualTo(SongKey.parse("A/B/01 a.mp3").orElseThrow().albumId());
    }

    @Test
    void putsShallowKeysInUnknownAlbumAndArtist() {
        SongKey two = SongKey.parse("Artist/song.mp3").orElseThrow();
        assertThat(two.artistName()).isEqualTo("Artist");
        assertThat(two.albumName()).isEqualTo(SongKey.UNKNOWN_ALBUM);
        SongKey one = SongKey.parse("song.mp3").orElseThrow();
        assertThat(one.artistName()).isEqualTo(SongKey.UNKNOWN_ARTIST);
        assertThat(one.albumName()).isEqualTo(SongKey.UNKNOWN_ALBUM);
        assertThat(one.artistId()).isNotEqualTo(two.artistId());
        assertThat(one.albumId()).isNotEqualTo(two.albumId());
        assertThat(two.albumId()).isNotEqualTo(SongKey.parse("Artist/Album/s.mp3").orElseThrow().albumId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"A/B/cover.jpg", ".DS_Store", "A/.DS_Store", "A/B/notes.txt", "A/B/", "A/",
        "A/B/noextension", "A/B/.hidden.mp3x", "../A/B/x.mp3", "/A/B/x.mp3", "A/../x.mp3", "A//x.mp3",
        "A/B/x\u0000.mp3", ".s3music/accounts/x.mp3", ""})
    void rejectsKeysThatAreNotSongs(String key) {
        assertThat(SongKey.parse(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mp3", "flac", "ogg", "opus", "m4a", "mp4", "aac", "wav", "aiff", "wma", "MP3", "Flac"})
    void recognizesEveryPlayableFormat(String ext) {
        assertThat(SongKey.parse("A/B/01 x." + ext)).isPresent();
        assertThat(AudioFormat.contentType(ext)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sigur Rós/Ágætis byrjun/01 Intro.flac", "AC+DC/Live 100%/01 #1 Song?.mp3",
        "Guns N' Roses/Use Your Illusion I/03 Don't Cry.mp3", "坂本龍一/async/01 andata.m4a",
        "A B/C D/01 - a + b = c.ogg", "Ärzte/%41%2B/x y.opus", "Emoji 🎵/Album/01 ♫.wav"})
    void keepsSpecialCharactersExactlyAndIdsRoundTrip(String key) {
        SongKey k = SongKey.parse(key).orElseThrow();
        assertThat(k.key()).isEqualTo(key);
        assertThat(Ids.songKey(k.songId())).contains(key);
        assertThat(k.songId()).matches("[A-Za-z0-9_-]+");
        assertThat(key).startsWith(k.artistName() + "/" + k.albumName() + "/");
    }

    @Test
    void titleKeepsPunctuationOfSpecialNames() {
        assertThat(SongKey.parse("AC+DC/Live 100%/01 #1 Song?.mp3").orElseThrow().title()).isEqualTo("#1 Song?");
        assertThat(SongKey.parse("A/B/03 Don't Cry.mp3").orElseThrow().title()).isEqualTo("Don't Cry");
    }

    @Test
    void keyLengthIsCountedInUtf8BytesAsS3Does() {
        // 1,024 bytes is S3's limit: "A/B/" (4) + 1,015 + ".mp3" (4) + 1 = 1,024 ASCII bytes is a key
        String ascii = "A/B/" + "x".repeat(1_016) + ".mp3";
        assertThat(ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1_024);
        assertThat(SongKey.parse(ascii)).isPresent();
        assertThat(SongKey.parse("A/B/" + "x".repeat(1_017) + ".mp3")).isEmpty();

        // 400 characters of 3 bytes each: 408 characters, far under 1,024, but 1,208 bytes
        String cjk = "A/B/" + "龍".repeat(400) + ".mp3";
        assertThat(cjk.length()).isLessThan(1_024);
        assertThat(SongKey.parse(cjk)).isEmpty();
        assertThat(Ids.songKey(Ids.song(cjk))).isEmpty();
        // 340 x 3 + 8 = 1,028 bytes: refused; 338 x 3 + 8 = 1,022: a key
        assertThat(SongKey.parse("A/B/" + "龍".repeat(340) + ".mp3")).isEmpty();
        assertThat(SongKey.parse("A/B/" + "龍".repeat(338) + ".mp3")).isPresent();
        // 4-byte characters (a surrogate pair each): 254 x 4 + 8 = 1,024 bytes is a key, 255 is not
        assertThat(SongKey.parse("A/B/" + "🎵".repeat(254) + ".mp3")).isPresent();
        assertThat(SongKey.parse("A/B/" + "🎵".repeat(255) + ".mp3")).isEmpty();
        // a lone surrogate has no UTF-8 form
        assertThat(SongKey.parse("A/B/x\uD83C.mp3")).isEmpty();
    }
}
