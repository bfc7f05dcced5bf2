package dev.s3music.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogListsTest {

    @Test
    void byteOrderIsTheOrderOfUtf8BytesWhateverTheCharacters() {
        Random random = new Random(5);
        int[] pool = {'a', 'b', 'z', 0x01, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFEE, 0xFFFF, 0x10000, 0x1F3B5, 0x10FFFF};
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(5); j >= 0; j--) {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            strings.add(sb.toString());
        }
        for (int i = 0; i + 1 < strings.size(); i++) {
            String a = strings.get(i);
            String b = strings.get(i + 1);
            assertThat(Integer.signum(SearchWords.BYTE_ORDER.compare(a, b)))
                .as("%s vs %s", a, b).isEqualTo(Integer.signum(Arrays.compareUnsigned(
                    a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void playOrderMembersSortAsTheAlbumsSongOrder() {
        List<Song> songs = new ArrayList<>();
        for (String key : List.of("A/B/10 ten.mp3", "A/B/2 two.mp3", "A/B/CD2/01 x.mp3", "A/B/CD1/05 y.mp3", "A/B/zed.mp3",
            "A/B/Extra/01 e.mp3", "A/B/1-03 d.mp3", "A/B/Ábc.mp3", "A/B/abd.mp3")) {
            songs.add(Song.of(SongKey.parse(key).orElseThrow(), 1, "e", Instant.EPOCH));
        }
        List<Song> byMember = new ArrayList<>(songs);
        byMember.sort((x, y) -> SearchWords.BYTE_ORDER.compare(CatalogLists.playOrder(x), CatalogLists.playOrder(y)));
        List<Song> bySongOrder = new ArrayList<>(songs);
        bySongOrder.sort(dev.s3music.model.memory.InMemoryCatalog.SONG_ORDER);
        assertThat(byMember).isEqualTo(bySongOrder);
    }

    @Test
    void picksTheMostCommonAndBreaksTiesTheSameWayEverywhere() {
        assertThat(CatalogLists.pickYear(Map.of(1999, 2, 2001, 2, 1980, 1))).isEqualTo(1999);
        assertThat(CatalogLists.pickYear(Map.of())).isNull();
        assertThat(CatalogLists.pickText(Map.of("rock", 3, "jazz", 3, "pop", 4))).isEqualTo("pop");
        assertThat(CatalogLists.pickText(Map.of("rock", 3, "Rock", 3))).isEqualTo("Rock");
        assertThat(CatalogLists.clampYears(2010, 1990)).containsExactly(1990, 2010);
        assertThat(CatalogLists.clampYears(-5, 0)).isNull();
        assertThat(CatalogLists.clampYears(0, 20000)).containsExactly(1, 9999);
        assertThat(CatalogLists.genreKey(" Électro ")).isEqualTo("electro");
        assertThat(CatalogLists.genreKey(" ")).isNull();
    }
}
