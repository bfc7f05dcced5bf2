package dev.s3music.embedded;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fallback of {@link RedisServerProcess#start()} when {@code redis-server} is missing (here: an executable name
 * that exists nowhere): a Redis container where Docker answers, else an error that says what to install. Which of
 * the two is checked depends on the machine; both assert.
 */
class RedisServerProcessTest {

    private static final String MISSING = "redis-server-that-is-not-installed";

    @Test
    void redisServerOnThePathIsUsedAndAnswers() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(ping(redis)).isEqualTo("+PONG");
        }
    }

    @Test
    void withoutRedisServerItIsAContainerWhereDockerAnswersElseAnErrorSayingWhatToInstall() throws Exception {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            try (RedisServerProcess redis = RedisServerProcess.start(MISSING)) {
                assertThat(ping(redis)).isEqualTo("+PONG");
                assertThat(redis.uri()).isEqualTo("redis://" + redis.host() + ":" + redis.port());
            }
        } else {
            assertThatThrownBy(() -> RedisServerProcess.start(MISSING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MISSING + " is not on the PATH")
                .hasMessageContaining("no Docker engine answers")
                .hasMessageContaining("install redis-server or start a Docker engine");
        }
        // a failed or container start leaves the choice for redis-server alone
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            assertThat(redis.host()).isEqualTo("127.0.0.1");
        }
    }

    private static String ping(RedisServerProcess redis) throws Exception {
        try (Socket s = new Socket(redis.host(), redis.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
