package dev.s3music.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EtagsAndSequencersTest {

    @Test
    void s3ShapedEtagsAreHexWithAnOptionalPartCount() {
        assertThat(Etags.isS3Shaped("9b2cf535f27731c974343645a3985328")).isTrue();
        assertThat(Etags.isS3Shaped("D8E8FCA2DC0F896FD7CB4CB0031BA249-13")).isTrue();
        assertThat(Etags.isS3Shaped("abc\r\nX-Evil: injected")).isFalse();
        assertThat(Etags.isS3Shaped("etag-1")).isFalse();
        assertThat(Etags.isS3Shaped("abc-")).isFalse();
        assertThat(Etags.isS3Shaped("abc-123456")).isFalse();
        assertThat(Etags.isS3Shaped("")).isFalse();
        assertThat(Etags.isS3Shaped(null)).isFalse();
    }

    @Test
    void headerSafeEtagsAreVisibleAsciiWithoutQuotes() {
        assertThat(Etags.isHeaderSafe("etag-1")).isTrue();
        assertThat(Etags.isHeaderSafe("9b2cf535f27731c974343645a3985328-2")).isTrue();
        assertThat(Etags.isHeaderSafe("abc\r\nX-Evil: injected")).isFalse();
        assertThat(Etags.isHeaderSafe("a\"b")).isFalse();
        assertThat(Etags.isHeaderSafe("a b")).isFalse();
        assertThat(Etags.isHeaderSafe("a\\b")).isFalse();
        assertThat(Etags.isHeaderSafe("é")).isFalse();
        assertThat(Etags.isHeaderSafe("a".repeat(Etags.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void wellFormedSequencersAreBoundedHex() {
        assertThat(Sequencers.isWellFormed("0055AED6DCD90281E5")).isTrue();
        assertThat(Sequencers.isWellFormed("0123456789abcdefABCDEF0123456789")).isTrue();
        assertThat(Sequencers.isWellFormed("0".repeat(Sequencers.MAX_LENGTH + 1))).isFalse();
        assertThat(Sequencers.isWellFormed("0x1F")).isFalse();
        assertThat(Sequencers.isWellFormed("01\n")).isFalse();
        assertThat(Sequencers.isWellFormed("")).isFalse();
        assertThat(Sequencers.isWellFormed(null)).isFalse();
    }
}
