package dev.s3music.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoggedPathsTest {

    @Test
    void aShareTokenNeverReachesALogLine() {
        assertThat(LoggedPaths.of("/s/abcDEF123")).isEqualTo("/s/{token}");
        assertThat(LoggedPaths.of("/s/abcDEF123/songs/x/stream")).isEqualTo("/s/{token}/songs/x/stream");
        assertThat(LoggedPaths.of("/api/artists")).isEqualTo("/api/artists");
        assertThat(LoggedPaths.of("/sx/abc")).isEqualTo("/sx/abc");
        assertThat(LoggedPaths.of(null)).isNull();
    }
}
