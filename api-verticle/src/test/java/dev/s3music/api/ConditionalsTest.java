package dev.s3music.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static dev.s3music.api.Conditionals.Match.ABSENT;
import static dev.s3music.api.Conditionals.Match.MATCH;
import static dev.s3music.api.Conditionals.Match.NO_MATCH;
import static org.assertj.core.api.Assertions.assertThat;

class ConditionalsTest {

    private static final String TAG = "\"abc\"";
    private static final Instant LAST_MODIFIED = Instant.parse("2024-03-05T10:20:30.456Z");

    @ParameterizedTest(name = "[{0}] weak={1}")
    @CsvSource(delimiter = '|', value = {
        "\"abc\"|MATCH|MATCH",
        "W/\"abc\"|MATCH|NO_MATCH",
        "\"xyz\"|NO_MATCH|NO_MATCH",
        "\"xyz\", \"abc\"|MATCH|MATCH",
        "\"xyz\",W/\"abc\"|MATCH|NO_MATCH",
        "*|MATCH|MATCH",
        "' *  '|MATCH|MATCH",
        "\"a,b\", \"abc\"|MATCH|MATCH",
        "abc|ABSENT|ABSENT",
        "\"abc|ABSENT|ABSENT",
        "\"abc\"x|ABSENT|ABSENT",
        "W/abc|ABSENT|ABSENT",
        "''|ABSENT|ABSENT",
        "', ,'|ABSENT|ABSENT",
    })
    void entityTagListsCompareWeaklyOrStrongly(String header, Conditionals.Match weak, Conditionals.Match strong) {
        assertThat(Conditionals.matches(header, TAG, false)).isEqualTo(weak);
        assertThat(Conditionals.matches(header, TAG, true)).isEqualTo(strong);
    }

    @Test
    void absentHeaderIsAbsent() {
        assertThat(Conditionals.matches(null, TAG, true)).isEqualTo(ABSENT);
        assertThat(Conditionals.matches("\"abc\"", TAG, false)).isEqualTo(MATCH);
        assertThat(Conditionals.matches("\"abd\"", TAG, false)).isEqualTo(NO_MATCH);
    }

    @Test
    void httpDatesAreImfFixdateAtSecondPrecision() {
        assertThat(Conditionals.httpDate(LAST_MODIFIED)).isEqualTo("Tue, 05 Mar 2024 10:20:30 GMT");
        assertThat(Conditionals.parseDate("Tue, 05 Mar 2024 10:20:30 GMT")).isEqualTo(Instant.parse("2024-03-05T10:20:30Z"));
        assertThat(Conditionals.parseDate("Tuesday, 05-Mar-24 10:20:30 GMT")).isNull();
        assertThat(Conditionals.parseDate("yesterday")).isNull();
        assertThat(Conditionals.parseDate(null)).isNull();
    }

    @Test
    void modifiedSinceComparesWholeSeconds() {
        assertThat(Conditionals.modifiedSince(LAST_MODIFIED, Instant.parse("2024-03-05T10:20:30Z"))).isFalse();
        assertThat(Conditionals.modifiedSince(LAST_MODIFIED, Instant.parse("2024-03-05T10:20:29Z"))).isTrue();
        assertThat(Conditionals.modifiedSince(LAST_MODIFIED, Instant.parse("2025-01-01T00:00:00Z"))).isFalse();
    }

    @Test
    void ifRangeHoldsOnlyForAStrongTagOrTheExactDate() {
        assertThat(Conditionals.ifRangeHolds(null, TAG, LAST_MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeHolds("\"abc\"", TAG, LAST_MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeHolds("W/\"abc\"", TAG, LAST_MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeHolds("\"old\"", TAG, LAST_MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeHolds("\"abc\", \"old\"", TAG, LAST_MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeHolds("Tue, 05 Mar 2024 10:20:30 GMT", TAG, LAST_MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeHolds("Tue, 05 Mar 2024 10:20:31 GMT", TAG, LAST_MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeHolds("garbage", TAG, LAST_MODIFIED)).isFalse();
    }
}
