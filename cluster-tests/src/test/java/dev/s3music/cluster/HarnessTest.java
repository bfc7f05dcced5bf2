package dev.s3music.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster test's own tools, checked without a cluster. */
class HarnessTest {

    private static final long MS = 1_000_000L;

    @Test
    void busiestWindowCountsEventsInsideAnyHalfOpenWindow() {
        List<Long> times = List.of(0L, 100 * MS, 900 * MS, 1000 * MS, 1050 * MS, 3000 * MS);
        assertThat(SlidingWindow.busiest(times, 1000 * MS).count()).isEqualTo(4); // 100, 900, 1000, 1050
        assertThat(SlidingWindow.busiest(times, 1 * MS).count()).isEqualTo(1);
        assertThat(SlidingWindow.busiest(List.of(), 1000 * MS).count()).isZero();
    }

    @Test
    void notificationKeysAreFormUrlEncodedLikeS3s() {
        assertThat(S3Notifications.encodeKey("Björk/Homogenic/01 Hunter.flac"))
            .isEqualTo("Bj%C3%B6rk/Homogenic/01+Hunter.flac");
        assertThat(S3Notifications.encodeKey("Rock + Roll/A & B/x.mp3")).isEqualTo("Rock+%2B+Roll/A+%26+B/x.mp3");
    }

    @Test
    void notificationsHaveTheFixtureShapeAndGrowingSequencers() {
        S3Notifications n = new S3Notifications("music", "us-east-1");
        JsonObject first = new JsonObject(n.created("A/B/01 x.mp3", 12, "\"abc\""));
        JsonObject second = new JsonObject(n.removed("A/B/01 x.mp3"));
        JsonObject record = first.getJsonArray("Records").getJsonObject(0);
        assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
        assertThat(record.getJsonObject("s3").getJsonObject("bucket").getString("name")).isEqualTo("music");
        JsonObject object = record.getJsonObject("s3").getJsonObject("object");
        assertThat(object.getString("key")).isEqualTo("A/B/01+x.mp3");
        assertThat(object.getString("eTag")).isEqualTo("abc");
        assertThat(object.getLong("size")).isEqualTo(12);
        String s1 = object.getString("sequencer");
        String s2 = second.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object")
            .getString("sequencer");
        assertThat(s1).hasSize(18).isLessThan(s2);
    }
}
