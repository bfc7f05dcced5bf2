package dev.s3music.launcher;

import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.URI;
import java.util.Optional;

/** The lines a process logs once it is up: where to point a browser or a probe, where the music is, the cluster. */
final class StartBanner {

    private StartBanner() {
    }

    /**
     * @param songs          songs in the catalog after the reconcile at start, or -1 when unknown
     * @param embedded       the stand-ins of the embedded default, empty with a real bucket
     * @param queueUrl       the queue the indexer consumes, or null
     * @param clusterManager null unless clustered
     * @param setupCode      the one-time setup code when no account exists and ADMIN_PASSWORD is unset (the only
     *                       line it is ever printed in), else empty
     */
    static String text(LauncherConfig config, URI url, long songs, Optional<EmbeddedStack> embedded, String queueUrl,
                       String deadLetterQueueUrl, HazelcastClusterManager clusterManager) {
        return text(config, url, songs, embedded, queueUrl, deadLetterQueueUrl, clusterManager, Optional.empty());
    }

    static String text(LauncherConfig config, URI url, long songs, Optional<EmbeddedStack> embedded, String queueUrl,
                       String deadLetterQueueUrl, HazelcastClusterManager clusterManager, Optional<String> setupCode) {
        LauncherConfig.Storage s = config.storage();
        StringBuilder b = new StringBuilder();
        b.append("\n\n  S3 music server (ROLE=").append(config.role().value()).append(") is up: ");
        if (config.role() == Role.ALL || config.role() == Role.API) {
            b.append(url).append("/api/artists");
            if (songs >= 0) {
                b.append("  (").append(songs).append(" songs)");
            }
        } else {
            b.append(url).append("/health/ready");
        }
        b.append('\n');
        setupCode.ifPresent(code -> b.append("\n  No account exists yet. Create the admin with this one-time setup code")
            .append(" (valid until used):\n")
            .append("    POST ").append(url).append("/api/setup  with code ").append(code).append('\n')
            .append("    curl -X POST ").append(url).append("/api/setup -H 'Content-Type: application/json' \\\n")
            .append("      -d '{\"code\":\"").append(code)
            .append("\",\"username\":\"admin\",\"password\":\"<10 to 256 bytes>\"}'\n")
            .append("    (or start with ADMIN_PASSWORD set)\n"));
        if (embedded.isPresent()) {
            EmbeddedStack e = embedded.get();
            URI endpoint = e.s3Endpoint();
            b.append("\n  Embedded S3 over ").append(s.musicDir()).append(" - copy files in, or upload with any S3 tool:\n")
                .append("    endpoint    ").append(endpoint).append('\n')
                .append("    bucket      ").append(s.bucket()).append('\n')
                .append("    region      ").append(s.region()).append('\n')
                .append("    access key  ").append(e.s3AccessKey()).append('\n')
                .append("    secret key  ").append(e.s3SecretKey()).append("  (this installation's, kept in ")
                .append(e.s3CredentialsFile()).append(")\n")
                .append("    e.g. AWS_ACCESS_KEY_ID=").append(e.s3AccessKey())
                .append(" AWS_SECRET_ACCESS_KEY=").append(e.s3SecretKey())
                .append(" aws --endpoint-url ").append(endpoint).append(" --region ").append(s.region())
                .append(" s3 cp song.flac \"s3://").append(s.bucket()).append("/Artist/Album/01 - Song.flac\"\n");
        } else {
            b.append("  S3 bucket ").append(s.bucket()).append(" in ").append(s.region())
                .append(s.endpoint().map(e -> " at " + e).orElse("")).append(" (default credentials chain)\n");
        }
        if (queueUrl != null) {
            b.append("  SQS: ").append(queueUrl).append(" (dead letters: ").append(deadLetterQueueUrl).append(")\n");
        }
        if (clusterManager != null) {
            b.append("  cluster: node ").append(clusterManager.getNodeId()).append(", ")
                .append(clusterManager.getNodes().size()).append(" members\n");
        }
        return b.toString();
    }

    /** 0.0.0.0 and :: are where a server listens, not an address to browse to. */
    static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }
}
