package dev.s3music.metadata;

import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * A worker as its own JVM, for the test that kills one mid-lookup. Arguments: redis URI, Discogs URL, key prefix,
 * lease in ms. Prints "worker ready" once deployed.
 */
public final class WorkerProcessMain {

    private WorkerProcessMain() {
    }

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        WorkerConfig cfg = Workers.config(args[1], "token", Duration.ofMillis(Long.parseLong(args[3])));
        Workers.deploy(vertx, args[0], args[2], cfg, new InMemoryDocumentStore(), 1)
            .onSuccess(id -> System.out.println("worker ready"))
            .onFailure(e -> {
                e.printStackTrace();
                System.exit(1);
            });
    }
}
