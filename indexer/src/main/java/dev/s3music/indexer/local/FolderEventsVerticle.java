package dev.s3music.indexer.local;

import dev.s3music.indexer.event.S3EventJson;
import dev.s3music.model.AlbumArt;
import dev.s3music.model.SongKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default's stand-in for S3 event notifications: it watches the local music folder (files copied
 * in, or uploaded through the embedded S3 endpoint, which writes them there) and sends S3-shaped
 * {@code ObjectCreated:Put} / {@code ObjectRemoved:Delete} notifications to the embedded SQS queue, so the
 * production path (SQS -> {@code SqsIndexerVerticle} -> catalog) runs there too.
 *
 * <p>It walks the folder every {@code interval} on a named worker instead of using a {@code WatchService}:
 * the JDK's watch service does not recurse into sub-folders and drops events under load (OVERFLOW), while a walk
 * of a local library is cheap and always exact. The first walk is the baseline (the reconcile at start indexes
 * what is already there). Sequencers are made from the clock and a counter, so they grow across restarts.
 * Only song and album-art keys are reported.
 */
public final class FolderEventsVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(FolderEventsVerticle.class);

    private record Stat(long size, long mtimeMillis) {
    }

    private final SqsAsyncClient sqs;
    private final FolderEventsConfig config;
    private final AtomicLong counter = new AtomicLong();
    /** what has been reported (or was there at start): key -> stat */
    private Map<String, Stat> reported = new HashMap<>();
    /** the previous walk, to see whether new files have settled */
    private Map<String, Stat> previous = new HashMap<>();
    private WorkerExecutor worker;
    private long timer = -1;
    private boolean walking;

    public FolderEventsVerticle(SqsAsyncClient sqs, FolderEventsConfig config) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public Future<?> start() {
        worker = vertx.createSharedWorkerExecutor("indexer-folder-watch", 1);
        return worker.executeBlocking(this::walk, false).map(baseline -> {
            reported = baseline;
            previous = baseline;
            timer = vertx.setPeriodic(config.interval().toMillis(), t -> tick());
            LOG.info("watching {} ({} files) for bucket {} -> {}", config.bucketDir(), baseline.size(), config.bucket(),
                config.queueUrl());
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return worker.close();
    }

    private void tick() {
        if (walking) {
            return;
        }
        walking = true;
        worker.executeBlocking(this::walk, false)
            .compose(this::report)
            .onComplete(ar -> {
                walking = false;
                if (ar.failed()) {
                    LOG.warn("folder watch: {}", ar.cause().toString());
                }
            });
    }

    /** Compares a walk with what was reported and sends the settled differences. */
    private Future<Void> report(Map<String, Stat> now) {
        List<String> bodies = new ArrayList<>();
        Map<String, Stat> next = new HashMap<>(reported);
        for (Map.Entry<String, Stat> e : now.entrySet()) {
            Stat was = reported.get(e.getKey());
            boolean settled = e.getValue().equals(previous.get(e.getKey()));
            if (!e.getValue().equals(was) && settled) {
                bodies.add(S3EventJson.created(config.bucket(), e.getKey(), e.getValue().size(), null, sequencer(),
                    Instant.ofEpochMilli(e.getValue().mtimeMillis())));
                next.put(e.getKey(), e.getValue());
            }
        }
        for (String key : reported.keySet()) {
            if (!now.containsKey(key)) {
                bodies.add(S3EventJson.removed(config.bucket(), key, sequencer(), Instant.now()));
                next.remove(key);
            }
        }
        previous = now;
        if (bodies.isEmpty()) {
            return Future.succeededFuture();
        }
        return send(bodies).onSuccess(v -> {
            reported = next; // only once sent: a failed send is retried by the next walk
            LOG.debug("folder watch sent {} events", bodies.size());
        });
    }

    private Future<Void> send(List<String> bodies) {
        List<Future<?>> calls = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(bodies.get(i)).build());
            }
            calls.add(Future.fromCompletionStage(sqs.sendMessageBatch(SendMessageBatchRequest.builder()
                .queueUrl(config.queueUrl()).entries(entries).build()), context).compose(r -> r.failed().isEmpty()
                    ? Future.succeededFuture() : Future.failedFuture("send failed: " + r.failed())));
        }
        return Future.all(calls).mapEmpty();
    }

    /** Clock milliseconds and a counter: grows across restarts, 20 hex digits like S3's. */
    private String sequencer() {
        return String.format("%012X%08X", System.currentTimeMillis(), counter.incrementAndGet() & 0xFFFFFFFFL);
    }

    /** On the worker: song and art files under the bucket folder, by key. */
    private Map<String, Stat> walk() {
        Map<String, Stat> out = new HashMap<>();
        if (!Files.isDirectory(config.bucketDir())) {
            return out;
        }
        try {
            // the bucket folder may be a symbolic link to the music folder, and sub-folders links too: follow them
            // (a link loop is reported to visitFileFailed and skipped)
            Path root = config.bucketDir().toRealPath();
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                        if (SongKey.parse(key).isPresent() || AlbumArt.albumIdOf(key).isPresent()) {
                            out.put(key, new Stat(attrs.size(), attrs.lastModifiedTime().toMillis()));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished while walking: the next walk sees it gone
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
