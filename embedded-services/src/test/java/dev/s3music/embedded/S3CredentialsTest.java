package dev.s3music.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CredentialsTest {

    @Test
    void theFirstStartGeneratesAPrivatePairAndLaterStartsReuseIt(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("config/s3music/embedded-s3.properties");
        S3Credentials first = S3Credentials.loadOrCreate(file);
        assertThat(first.accessKey()).hasSize(20).isNotEqualTo("local-access-key");
        assertThat(first.secretKey()).hasSize(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
            .isEqualTo("rwx------");
        assertThat(S3Credentials.loadOrCreate(file)).isEqualTo(first);
        assertThat(S3Credentials.loadOrCreate(tmp.resolve("other.properties"))).isNotEqualTo(first);
        // no temporary file left beside it
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(first.toString()).doesNotContain(first.secretKey());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(S3Credentials.loadOrCreate(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileFailsNamingTheFileNotTheKeys(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("embedded-s3.properties");
        Files.writeString(file, "access-key=short\nsecret-key=TOPSECRETVALUE\n");
        assertThatThrownBy(() -> S3Credentials.loadOrCreate(file)).isInstanceOf(IOException.class)
            .hasMessageContaining(file.toString()).hasMessageNotContaining("TOPSECRETVALUE");
    }
}
