package io.flowfabric.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL 15 of one test class that can be stopped and started again on the same data
 * directory and port, so clients see a real server restart. Always embedded: the tests that use it control
 * the server's life, which an external server does not allow. Blocking: call from test threads only.
 */
final class RestartablePostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Initialises a new data directory and starts the server on a free port. */
    static RestartablePostgres start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            RestartablePostgres postgres = new RestartablePostgres(Files.createTempDirectory("ff-restart-pg-"), port);
            postgres.startServer();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the restartable embedded PostgreSQL", e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: clients get an admin-shutdown error); data is kept. */
    synchronized void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** Starts the server on the kept data directory and port; no-op when it runs. */
    synchronized void startServer() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL on port " + port, e);
        }
    }

    /** A new empty database on this server. */
    PostgresOptions freshDatabase() {
        PostgresOptions admin = PostgresOptions.of("localhost", port, "postgres", "postgres", null);
        String name = "ff_restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresTestDatabase.execute(admin, "CREATE DATABASE " + name);
        return admin.withDatabase(name);
    }

    @Override
    public void close() throws IOException {
        stopServer();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
