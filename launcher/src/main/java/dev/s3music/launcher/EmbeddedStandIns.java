package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.S3Credentials;
import dev.s3music.indexer.local.FolderEventsConfig;
import dev.s3music.indexer.local.FolderEventsVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link EmbeddedStack} on embedded-services (S3Proxy, ElasticMQ). Loaded by name: only the full jar
 * ({@code music-server.jar}) carries this class and what it needs; the production jar leaves both out.
 */
final class EmbeddedStandIns implements EmbeddedStack {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStandIns.class);

    /** Opened parts, closed last first: ElasticMQ's start, the bucket folder, S3Proxy. */
    private final Opened opened = new Opened();
    private final LauncherConfig.Storage storage;
    private CompletableFuture<EmbeddedSqs> sqsStart;
    private EmbeddedBucketFolder folder;
    private EmbeddedS3 s3;

    private EmbeddedStandIns(LauncherConfig.Storage storage) {
        this.storage = storage;
    }

    /** Called by {@link EmbeddedStack#start} through reflection. */
    static EmbeddedStack start(LauncherConfig.Storage storage, boolean withSqs) {
        EmbeddedStandIns stack = new EmbeddedStandIns(storage);
        try {
            // ElasticMQ takes seconds to start (Pekko): start it beside the rest and wait for it when needed
            if (withSqs) {
                stack.startSqs();
            }
            stack.startFolder();
            stack.startS3();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startSqs() {
        long t = System.nanoTime();
        CompletableFuture<EmbeddedSqs> start = CompletableFuture.supplyAsync(EmbeddedSqs::start, r -> {
            Thread thread = new Thread(r, "embedded-sqs-start");
            thread.setDaemon(true);
            thread.start();
        }).whenComplete((sqs, e) -> {
            if (sqs != null) {
                LOG.info("embedded SQS (ElasticMQ) on {} in {} ms", sqs.endpoint(), Steps.millisSince(t));
            }
        });
        opened.push(() -> {
            try {
                start.get(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
            } catch (ExecutionException failedToStart) {
                // nothing to close
            }
        });
        sqsStart = start;
    }

    private void startFolder() {
        try {
            if (storage.demoLibrary()) {
                DemoLibrary.installIfEmpty(storage.musicDir());
            } else {
                Files.createDirectories(storage.musicDir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("preparing MUSIC_DIR " + storage.musicDir(), e);
        }
        folder = EmbeddedBucketFolder.create(storage.musicDir(), storage.bucket());
        opened.push(folder);
    }

    private void startS3() {
        long t = System.nanoTime();
        int s3Port = s3Port(storage);
        S3Credentials credentials;
        try {
            credentials = S3Credentials.loadOrCreate(storage.credentialsFile());
        } catch (IOException e) {
            throw new ConfigException("S3_CREDENTIALS_FILE", "cannot read or create the embedded S3's credentials in "
                + storage.credentialsFile() + " (" + e.getMessage() + ")");
        }
        try {
            s3 = EmbeddedS3.onFolder(folder.baseDir(), storage.s3Host(), s3Port, credentials);
        } catch (Exception e) {
            throw new ConfigException(storage.s3PortExplicit() ? "S3_PORT" : "S3_HOST", "the embedded S3 cannot "
                + "listen on " + storage.s3Host() + ":" + s3Port + " (" + e.getMessage() + ")");
        }
        opened.push(s3);
        LOG.info("embedded S3 (S3Proxy) on {} in {} ms", s3.endpoint(), Steps.millisSince(t));
    }

    @Override
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public String s3AccessKey() {
        return s3.accessKey();
    }

    @Override
    public String s3SecretKey() {
        return s3.secretKey();
    }

    @Override
    public Path s3CredentialsFile() {
        return storage.credentialsFile();
    }

    @Override
    public void allowWebOrigins(Collection<String> origins) {
        s3.allowOrigins(origins);
        LOG.info("embedded S3 accepts browser requests from {} only", origins);
    }

    @Override
    public Optional<URI> awaitSqsEndpoint() throws Exception {
        if (sqsStart == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(sqsStart.get(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).endpoint());
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting the embedded SQS: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public Future<String> watchMusicFolder(Vertx vertx, SqsAsyncClient sqs, String bucket, String queueUrl) {
        return vertx.deployVerticle(new FolderEventsVerticle(sqs, FolderEventsConfig.of(
            folder.baseDir().resolve(bucket), bucket, queueUrl)));
    }

    @Override
    public void close() {
        opened.closeAll();
    }

    /** The configured S3 port; the default one falls back to a free port when something else holds it. */
    private static int s3Port(LauncherConfig.Storage storage) {
        int port = storage.s3Port();
        if (port == 0 || storage.s3PortExplicit() || isFree(storage.s3Host(), port)) {
            return port;
        }
        LOG.warn("port {} is taken: the embedded S3 listens on a free port instead (set S3_PORT to choose)", port);
        return 0;
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
