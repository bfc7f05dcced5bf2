package dev.s3music.launcher.bench;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.S3Credentials;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * S3Proxy in a process of its own, for {@code StreamBench s3=process}: the server then reads a "remote" S3, as in
 * production, and its heap, RSS and threads are its own. Arguments: base folder (holding the bucket folder) and
 * port, and the file with the credentials (S3Credentials). Runs until killed.
 */
public final class S3ProxyMain {

    private S3ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedS3 s3 = EmbeddedS3.onFolder(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]),
            S3Credentials.loadOrCreate(Path.of(args[2])));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                s3.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        System.out.println("S3Proxy on " + s3.endpoint());
        new CountDownLatch(1).await();
    }
}
