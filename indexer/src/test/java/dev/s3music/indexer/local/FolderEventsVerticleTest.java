package dev.s3music.indexer.local;

import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.indexer.TestSupport;
import dev.s3music.indexer.event.Decoded;
import dev.s3music.indexer.event.KeyEvent;
import dev.s3music.indexer.event.S3EventDecoder;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

class FolderEventsVerticleTest {

    @TempDir
    Path tmp;

    private static List<KeyEvent> events(List<Message> messages) {
        List<KeyEvent> out = new ArrayList<>();
        S3EventDecoder d = new S3EventDecoder("music");
        for (Message m : messages) {
            out.addAll(((Decoded.Events) d.decode(m.body())).events());
        }
        return out;
    }

    @Test
    void reportsSettledNewFilesAndRemovalsThroughASymlinkedFolderButNotTheBaseline() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("library"));
        Files.createDirectories(real.resolve("Old/Album"));
        Files.write(real.resolve("Old/Album/there before.mp3"), new byte[] {1});
        Path bucket = Files.createSymbolicLink(tmp.resolve("music"), real);
        Vertx vertx = Vertx.vertx();
        try (EmbeddedSqs server = EmbeddedSqs.start(); SqsAsyncClient sqs = TestSupport.sqsClient(server.endpoint())) {
            String queue = TestSupport.createQueues(sqs, 30, 5).url();
            await(vertx.deployVerticle(new FolderEventsVerticle(sqs, new FolderEventsConfig(bucket, "music", queue, Duration.ofMillis(100)))));
            Files.createDirectories(real.resolve("New Artist/Älbum"));
            Files.write(real.resolve("New Artist/Älbum/01 a+b 100%.flac"), new byte[] {1, 2, 3});
            Files.write(real.resolve("New Artist/Älbum/notes.txt"), new byte[] {1});
            List<Message> got = new ArrayList<>();
            waitUntil("created event", Duration.ofSeconds(10), () -> {
                got.addAll(TestSupport.drain(sqs, queue));
                return !got.isEmpty();
            });
            KeyEvent created = events(got).get(0);
            assertThat(created.kind()).isEqualTo(KeyEvent.Kind.UPSERT);
            assertThat(created.key()).isEqualTo("New Artist/Älbum/01 a+b 100%.flac");
            assertThat(created.size()).isEqualTo(3);
            Files.delete(real.resolve("Old/Album/there before.mp3"));
            List<Message> more = new ArrayList<>();
            waitUntil("removed event", Duration.ofSeconds(10), () -> {
                more.addAll(TestSupport.drain(sqs, queue));
                return !more.isEmpty();
            });
            KeyEvent removed = events(more).get(0);
            assertThat(removed.kind()).isEqualTo(KeyEvent.Kind.REMOVE);
            assertThat(removed.key()).isEqualTo("Old/Album/there before.mp3");
            assertThat(dev.s3music.model.Sequencers.isNewer(removed.sequencer(), created.sequencer())).isTrue();
            assertThat(events(got)).hasSize(1); // no event for the baseline nor for notes.txt
        } finally {
            await(vertx.close());
        }
    }
}
