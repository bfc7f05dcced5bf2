package dev.s3music.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * The stand-ins of the embedded default ({@code ROLE=all} without {@code S3_BUCKET}): S3Proxy over
 * {@code MUSIC_DIR} (with the demo library copied into an empty folder), ElasticMQ when no {@code SQS_QUEUE_URL} is
 * set, and the folder watcher that turns the folder's changes into S3-shaped notifications.
 *
 * <p>The launcher's production code reaches them only through this interface: the implementation
 * ({@value #IMPLEMENTATION}) is loaded by name when the embedded default starts, so the production jar
 * ({@code music-server-aws.jar}) can leave it out together with embedded-services, S3Proxy, ElasticMQ and their
 * servers. There {@link #start} fails with a message naming {@code S3_BUCKET}.
 */
interface EmbeddedStack extends AutoCloseable {

    /** The implementation, in the full jar ({@code music-server.jar}) only. */
    String IMPLEMENTATION = "dev.s3music.launcher.EmbeddedStandIns";

    /**
     * Starts the stand-ins: ElasticMQ (when {@code withSqs}) in the background, the music folder and S3Proxy at once.
     * Blocks the calling (non Vert.x) thread; on failure closes what it started and throws.
     */
    static EmbeddedStack start(LauncherConfig.Storage storage, boolean withSqs) {
        Class<?> implementation;
        try {
            implementation = Class.forName(IMPLEMENTATION, true, EmbeddedStack.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException("S3_BUCKET", "is required by this jar: it carries no embedded S3 or SQS (the "
                + "production jar, music-server-aws.jar). Set S3_BUCKET and AWS_REGION to serve a real bucket, or run "
                + "music-server.jar for the embedded default");
        }
        try {
            var start = implementation.getDeclaredMethod("start", LauncherConfig.Storage.class, boolean.class);
            return (EmbeddedStack) start.invoke(null, storage, withSqs);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("starting the embedded services: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start " + IMPLEMENTATION + ": " + e, e);
        }
    }

    /** S3Proxy's endpoint (on loopback unless {@code S3_HOST} says otherwise). */
    URI s3Endpoint();

    /**
     * The credentials S3Proxy accepts: this installation's own, generated at the first start into
     * {@link #s3CredentialsFile()} (printed in the start banner).
     */
    String s3AccessKey();

    String s3SecretKey();

    /** Where {@link #s3AccessKey()} and {@link #s3SecretKey()} are kept ({@code S3_CREDENTIALS_FILE}). */
    Path s3CredentialsFile();

    /**
     * The server's own web origins ({@code http://host:port}), the only ones whose browser pages may use the
     * embedded S3 (the web player's uploads); requests carrying any other {@code Origin} are refused with 403.
     * Until called, every request with an {@code Origin} is refused.
     */
    void allowWebOrigins(Collection<String> origins);

    /** ElasticMQ's endpoint once it is up (waits for its start, bounded); empty when started without SQS. */
    Optional<URI> awaitSqsEndpoint() throws Exception;

    /**
     * Deploys the folder watcher: copies into {@code MUSIC_DIR} and uploads through S3Proxy (which sends no
     * notifications) become S3-shaped notifications on {@code queueUrl}, so the production path (SQS indexer)
     * runs in the embedded default too.
     */
    Future<String> watchMusicFolder(Vertx vertx, SqsAsyncClient sqs, String bucket, String queueUrl);

    /** Stops S3Proxy, removes the bucket link (never the music), stops ElasticMQ. */
    @Override
    void close();
}
