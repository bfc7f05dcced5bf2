package dev.s3music.api;

import dev.s3music.model.ByteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {

    private static final long SIZE = 1000;

    @ParameterizedTest(name = "{0} -> {1}-{2}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0|0|0",
        "bytes=0-499|0|499",
        "bytes=500-999|500|999",
        "bytes=500-|500|999",
        "bytes=999-|999|999",
        "bytes=-1|999|999",
        "bytes=-500|500|999",
        "bytes=-1000|0|999",
        "bytes=-5000|0|999",
        "bytes=0-5000|0|999",
        "bytes=990-99999999999999999999999|990|999",
        "bytes=-99999999999999999999999|0|999",
        "Bytes=1-2|1|2",
        "BYTES=1-2|1|2",
        "bytes= 1-2|1|2",
        "bytes=1-2 |1|2",
        "'bytes=\t1-2'|1|2",
        "'bytes=1-2,'|1|2",
        "'bytes=,1-2'|1|2",
        "'bytes=, 1-2 ,,'|1|2",
        "bytes=0000000010-0000000020|10|20",
    })
    void satisfiableRangesAreClippedToTheSize(String header, long first, long last) {
        assertThat(ByteRanges.parse(header, SIZE)).isEqualTo(new ByteRanges.Satisfiable(new ByteRange(first, last)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-1000", "bytes=1000-2000", "bytes=-0", "bytes=-000",
        "bytes=99999999999999999999999-", "bytes=99999999999999999999999-99999999999999999999999"})
    void rangesPastTheEndAreUnsatisfiable(String header) {
        assertThat(ByteRanges.parse(header, SIZE)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=-", "bytes=--1", "bytes=1--2", "bytes=0-1-2", "bytes=a-b",
        "bytes=1", "bytes=5-1", "bytes=+1-2", "bytes=1-+2", "bytes=0x1-2", "bytes=1.0-2", "bytes=-1-2",
        "bytes =0-1", " bytes=0-1", "items=0-1", "none", "bytes=0-1,5-9", "bytes=0-1, 2-3", "bytes=-1,-2",
        "bytes=0-0,0-0", "bytes=1 -2", "bytes=1- 2", "bytes=١-٢", "=0-1", "bytes=0-1;x", "bytes=,", "bytes=,,"})
    void malformedAndMultiRangeHeadersAreIgnored(String header) {
        assertThat(ByteRanges.parse(header, SIZE)).as(header).isInstanceOf(ByteRanges.Ignore.class);
    }

    @Test
    void absentHeaderIsIgnored() {
        assertThat(ByteRanges.parse(null, SIZE)).isInstanceOf(ByteRanges.Ignore.class);
    }

    @Test
    void overlongHeaderIsIgnored() {
        assertThat(ByteRanges.parse("bytes=0-1" + " ".repeat(ByteRanges.MAX_HEADER_LENGTH), SIZE))
            .isInstanceOf(ByteRanges.Ignore.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-0", "bytes=0-", "bytes=-1", "bytes=5-9", "bytes=-0"})
    void everyRangeOfAnEmptyObjectIsIgnored(String header) {
        assertThat(ByteRanges.parse(header, 0)).isInstanceOf(ByteRanges.Ignore.class);
    }

    @Test
    void singleByteObject() {
        assertThat(ByteRanges.parse("bytes=0-", 1)).isEqualTo(new ByteRanges.Satisfiable(new ByteRange(0, 0)));
        assertThat(ByteRanges.parse("bytes=-1", 1)).isEqualTo(new ByteRanges.Satisfiable(new ByteRange(0, 0)));
        assertThat(ByteRanges.parse("bytes=1-", 1)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void contentRangeValues() {
        assertThat(ByteRanges.contentRange(new ByteRange(0, 99), 1000)).isEqualTo("bytes 0-99/1000");
        assertThat(ByteRanges.unsatisfiedRange(1000)).isEqualTo("bytes */1000");
    }
}
