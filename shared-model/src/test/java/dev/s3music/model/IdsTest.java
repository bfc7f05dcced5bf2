package dev.s3music.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idsAreStableAndDerivedFromTheKey() {
        assertThat(Ids.song("A/B/c.mp3")).isEqualTo(Ids.song("A/B/c.mp3")).isEqualTo(b64("A/B/c.mp3"));
        assertThat(Ids.album("A", "B")).isEqualTo(b64("A/B"));
        assertThat(Ids.artist("A")).isEqualTo(b64("A"));
    }

    @Test
    void noArtistIdEqualsAnAlbumId() {
        assertThat(Ids.album(null, null)).isNotEqualTo(Ids.artist(null));
        assertThat(Ids.album("A", null)).isNotEqualTo(Ids.artist(null)).isNotEqualTo(Ids.artist("A"));
    }

    @Test
    void caseAndAccentsMakeDifferentIds() {
        assertThat(Ids.song("A/B/c.mp3")).isNotEqualTo(Ids.song("a/B/c.mp3"));
        assertThat(Ids.artist("Beyoncé")).isNotEqualTo(Ids.artist("Beyonce"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "QQ==", "a b", "%2F", "QR", "/w"})
    void rejectsMalformedIds(String id) {
        assertThat(Ids.decode(id)).isEmpty();
    }

    @Test
    void rejectsInvalidUtf8() {
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[]{(byte) 0xC3, (byte) 0x28});
        assertThat(Ids.decode(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "/etc/passwd", "A/../../x.mp3", "A/./x.mp3", "A/B/x\n.mp3",
        "A/B/x\u0001.mp3", ".s3music/accounts/admin.json", "A\\..\\x.mp3"})
    void songKeyRejectsIdsOutsideTheLibrary(String key) {
        assertThat(Ids.songKey(b64(key))).isEmpty();
    }
}
