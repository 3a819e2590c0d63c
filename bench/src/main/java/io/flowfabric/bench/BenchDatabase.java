package io.flowfabric.bench;

import io.flowfabric.postgres.PostgresOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The PostgreSQL server a benchmark runs against: the one named by a URL, or an embedded PostgreSQL 15
 * started from Maven Central binaries with production-like durability ({@code fsync} and
 * {@code synchronous_commit} on).
 */
final class BenchDatabase implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final PostgresOptions options;

    private BenchDatabase(EmbeddedPostgres embedded, PostgresOptions options) {
        this.embedded = embedded;
        this.options = options;
    }

    static BenchDatabase open(String url) {
        if (url != null) {
            return new BenchDatabase(null, PostgresOptions.fromUrl(url));
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
            return new BenchDatabase(pg, PostgresOptions.of("localhost", pg.getPort(), "postgres", "postgres", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    PostgresOptions options() {
        return options;
    }

    /** Server settings worth reporting next to the figures. */
    Map<String, String> describe() {
        return Map.of("server", embedded == null ? "external" : "embedded PostgreSQL 15 (zonky)",
                "fsync", "on", "synchronous_commit", "on");
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
