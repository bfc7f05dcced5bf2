package dev.s3music.fakediscogs;

import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Runs the fake Discogs as a process, for the embedded default and cluster tests ({@code DISCOGS_URL} points at
 * it). Arguments: {@code [--port N] [--latency-ms N] [--rate-limit N]}; port 0 (the default) picks a free one.
 * Prints {@code fake-discogs listening on http://127.0.0.1:PORT} once it listens.
 */
public final class FakeDiscogsMain {

    private FakeDiscogsMain() {
    }

    public static void main(String[] args) {
        int port = 0;
        long latencyMs = 0;
        int rateLimit = FakeDiscogs.DEFAULT_RATE_LIMIT;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
                    case "--rate-limit" -> rateLimit = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("usage: FakeDiscogsMain [--port N] [--latency-ms N] [--rate-limit N]: " + e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        long latency = latencyMs;
        int limit = rateLimit;
        FakeDiscogs.start(vertx, port).onSuccess(fake -> {
            fake.latency(Duration.ofMillis(latency));
            fake.rateLimit(limit);
            System.out.println("fake-discogs listening on " + fake.baseUrl());
        }).onFailure(e -> {
            System.err.println("fake-discogs failed to start: " + e.getMessage());
            vertx.close();
            System.exit(1);
        });
    }
}
