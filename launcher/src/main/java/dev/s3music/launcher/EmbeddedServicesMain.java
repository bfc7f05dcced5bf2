package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.indexer.local.FolderEventsConfig;
import dev.s3music.indexer.local.FolderEventsVerticle;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import io.vertx.core.Vertx;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The S3 and SQS stand-ins in a process of their own, for a local cluster of separate role processes
 * ({@code launcher/local-cluster.sh}) and the multi-process cluster tests: S3Proxy ({@code filesystem-nio2} over a
 * music folder, bucket {@code music}) and ElasticMQ with the queue {@code music-events} redriving to
 * {@code music-events-dlq} after the indexer's {@code maxReceives}, as on AWS.
 *
 * <p>Arguments: {@code [--music-dir DIR] [--s3-port N] [--sqs-port N] [--notify]}. Ports default to 0 (free
 * ones); without {@code --music-dir} a fresh temporary folder is used. {@code --notify} also sends S3-shaped
 * notifications for the folder's changes to the queue (S3Proxy sends none), so files copied into the folder or
 * uploaded through the S3 endpoint reach the indexers, as real S3 would make them.
 *
 * <p>Output, stable for scripts (one {@code NAME=value} per line, then {@code READY}):
 * <pre>
 * S3_ENDPOINT=http://127.0.0.1:40001
 * S3_BUCKET=music
 * AWS_REGION=us-east-1
 * AWS_ACCESS_KEY_ID=S3M...              (a random pair of this run: no well-known keys)
 * AWS_SECRET_ACCESS_KEY=...
 * SQS_ENDPOINT=http://127.0.0.1:40002
 * SQS_QUEUE_URL=http://127.0.0.1:40002/000000000000/music-events
 * SQS_DLQ_URL=http://127.0.0.1:40002/000000000000/music-events-dlq
 * MUSIC_DIR=/tmp/...
 * READY
 * </pre>
 * No web origin is allowed: requests carrying an {@code Origin} header are refused (the role processes have their
 * own web origins; browsers upload through the embedded default, not here).
 * Runs until SIGTERM/SIGINT; exit code 2 for bad arguments, 1 when a stand-in cannot start.
 */
public final class EmbeddedServicesMain {

    private EmbeddedServicesMain() {
    }

    public static void main(String[] args) throws Exception {
        Path musicDir = null;
        int s3Port = 0;
        int sqsPort = 0;
        boolean notify = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--music-dir" -> musicDir = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--s3-port" -> s3Port = Integer.parseInt(args[++i]);
                    case "--sqs-port" -> sqsPort = Integer.parseInt(args[++i]);
                    case "--notify" -> notify = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("usage: EmbeddedServicesMain [--music-dir DIR] [--s3-port N] [--sqs-port N] [--notify]: "
                + e);
            System.exit(2);
            return;
        }
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(opened), "shutdown"));
        try {
            if (musicDir == null) {
                musicDir = Files.createTempDirectory("s3music-standin-");
            }
            Files.createDirectories(musicDir);
            String bucket = LauncherConfig.EMBEDDED_BUCKET;
            EmbeddedBucketFolder folder = EmbeddedBucketFolder.create(musicDir, bucket);
            synchronized (opened) {
                opened.push(folder);
            }
            EmbeddedS3 s3 = EmbeddedS3.onFolder(folder.baseDir(), "127.0.0.1", s3Port);
            synchronized (opened) {
                opened.push(s3);
            }
            EmbeddedSqs sqs = EmbeddedSqs.start(sqsPort);
            synchronized (opened) {
                opened.push(sqs);
            }
            SqsAsyncClient client = SqsClients.create(sqs.endpoint(), LauncherConfig.EMBEDDED_REGION, true);
            synchronized (opened) {
                opened.push(client);
            }
            int maxReceives = SqsIndexerConfig.of("q", null, bucket).maxReceives();
            SqsClients.Queues queues = SqsClients.createWithDeadLetterQueue(client, SqsClients.QUEUE_NAME, maxReceives);
            if (notify) {
                Vertx vertx = Vertx.vertx();
                synchronized (opened) {
                    opened.push(() -> vertx.close().await(30, TimeUnit.SECONDS));
                }
                vertx.deployVerticle(new FolderEventsVerticle(client,
                        FolderEventsConfig.of(folder.baseDir().resolve(bucket), bucket, queues.queueUrl())))
                    .await(60, TimeUnit.SECONDS);
            }
            StringBuilder out = new StringBuilder()
                .append("S3_ENDPOINT=").append(s3.endpoint()).append('\n')
                .append("S3_BUCKET=").append(bucket).append('\n')
                .append("AWS_REGION=").append(LauncherConfig.EMBEDDED_REGION).append('\n')
                .append("AWS_ACCESS_KEY_ID=").append(s3.accessKey()).append('\n')
                .append("AWS_SECRET_ACCESS_KEY=").append(s3.secretKey()).append('\n')
                .append("SQS_ENDPOINT=").append(sqs.endpoint()).append('\n')
                .append("SQS_QUEUE_URL=").append(queues.queueUrl()).append('\n')
                .append("SQS_DLQ_URL=").append(queues.deadLetterQueueUrl()).append('\n')
                .append("MUSIC_DIR=").append(musicDir).append('\n')
                .append("READY");
            System.out.println(out);
            System.out.flush();
        } catch (Exception e) {
            System.err.println("stand-ins failed to start: " + e);
            System.exit(1);
            return;
        }
        new CountDownLatch(1).await();
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        synchronized (opened) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    // exiting anyway
                }
            }
        }
    }
}
