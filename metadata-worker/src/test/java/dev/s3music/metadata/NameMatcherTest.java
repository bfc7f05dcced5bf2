package dev.s3music.metadata;

import dev.s3music.metadata.match.NameMatcher;
import dev.s3music.metadata.model.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.s3music.metadata.match.NameMatcher.Level.EXACT;
import static dev.s3music.metadata.match.NameMatcher.Level.LOOSE;
import static dev.s3music.metadata.match.NameMatcher.Level.NAMESAKE;
import static dev.s3music.metadata.match.NameMatcher.Level.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class NameMatcherTest {

    private static Candidate artist(long id, String name) {
        return new Candidate(id, Candidate.Type.ARTIST, name, null, null, null);
    }

    private static Candidate master(long id, String title, Integer year) {
        return new Candidate(id, Candidate.Type.MASTER, title, null, id, year);
    }

    @Test
    void normalizesCaseAccentsPunctuationAmpersandAndTheArticle() {
        assertThat(NameMatcher.normalize("Beyoncé")).isEqualTo("beyonce");
        assertThat(NameMatcher.normalize("Simon & Garfunkel")).isEqualTo(NameMatcher.normalize("simon and garfunkel"));
        assertThat(NameMatcher.normalize("The Beatles")).isEqualTo("beatles");
        assertThat(NameMatcher.normalize("Beatles, The")).isEqualTo("beatles");
        assertThat(NameMatcher.normalize("It's O.K.")).isEqualTo(NameMatcher.normalize("Its OK"));
        assertThat(NameMatcher.normalize("Layo & Bushwacka!")).isEqualTo("layo and bushwacka");
        assertThat(NameMatcher.normalize("AC/DC")).isEqualTo("ac dc");
    }

    @Test
    void ranksExactOverNamesakeOverLooseAndRejectsContainment() {
        assertThat(NameMatcher.level("Coldplay", "Coldplay")).isEqualTo(EXACT);
        assertThat(NameMatcher.level("Dave Holmes", "Dave Holmes (7)")).isEqualTo(NAMESAKE);
        assertThat(NameMatcher.level("Nothing 2 Loose (Remastered)", "Nothing 2 Loose")).isEqualTo(LOOSE);
        assertThat(NameMatcher.level("2018 - Nothing 2 Loose", "Nothing 2 Loose")).isEqualTo(LOOSE);
        assertThat(NameMatcher.level("Coldplay", "Bossa N' Coldplay")).isEqualTo(NONE);
        assertThat(NameMatcher.level("Coldplay", "Piano Tribute To Coldplay")).isEqualTo(NONE);
        assertThat(NameMatcher.level("", "Coldplay")).isEqualTo(NONE);
    }

    @Test
    void exactArtistBeatsNamesakesAndAmbiguousNamesakesMatchNothing() {
        List<Candidate> hits = List.of(artist(974611, "Dave Holmes (7)"), artist(1, "Dave Holmes"));
        assertThat(NameMatcher.bestArtist("Dave Holmes", hits)).map(Candidate::id).contains(1L);
        assertThat(NameMatcher.bestArtist("Dave Holmes (7)", hits)).map(Candidate::id).contains(974611L);
        assertThat(NameMatcher.bestArtist("Dave Holmes", List.of(artist(974611, "Dave Holmes (7)"))))
            .map(Candidate::id).contains(974611L);
        assertThat(NameMatcher.bestArtist("Steve Strange",
            List.of(artist(1687004, "Steve Strange (2)"), artist(5, "Steve Strange (3)")))).isEmpty();
        assertThat(NameMatcher.bestArtist("Coldplay", List.of(artist(12431419, "Bossa N' Coldplay")))).isEmpty();
    }

    @Test
    void albumsNeedTheirArtistAndExactTitlesBeatLooseOnes() {
        List<Candidate> hits = List.of(
            master(10, "Other Act - Nothing 2 Loose", 2018),
            master(11, "DJ Healer - Nothing 2 Loose (Live)", 2019),
            master(12, "DJ Healer - Nothing 2 Loose", 2020));
        assertThat(NameMatcher.bestAlbum("DJ Healer", "Nothing 2 Loose", hits)).map(Candidate::id).contains(12L);
        assertThat(NameMatcher.bestAlbum("Someone Else", "Nothing 2 Loose", hits)).isEmpty();
        assertThat(NameMatcher.bestAlbum("DJ Healer", "Something Else", hits)).isEmpty();
    }

    @Test
    void duplicateMastersOfOneArtistGoToTheEarliestThenLowestId() {
        List<Candidate> hits = List.of(
            new Candidate(1684927, Candidate.Type.MASTER, "Everyday Life", "Coldplay", null, 2019),
            new Candidate(1638967, Candidate.Type.MASTER, "Everyday Life", "Coldplay", null, 2019));
        assertThat(NameMatcher.bestAlbum("Coldplay", "Everyday Life", hits)).map(Candidate::id).contains(1638967L);
    }

    @Test
    void matchesOneNameOfAMultiArtistCreditBelowAnExactCredit() {
        assertThat(NameMatcher.artistCreditLevel("Maurice Ravel",
            "Maurice Ravel – Charles Munch, Orchestre De Paris")).isEqualTo(LOOSE);
        assertThat(NameMatcher.artistCreditLevel("Simon and Garfunkel", "Simon & Garfunkel")).isEqualTo(EXACT);
        assertThat(NameMatcher.artistCreditLevel("Ravel", "Maurice Ravel – Charles Munch")).isEqualTo(NONE);
    }
}
