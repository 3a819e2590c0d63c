package io.flowfabric.postgres;

import io.flowfabric.api.error.UnavailableException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Applies the Flyway migrations {@code classpath:db/postgres} (module flowfabric-sql) over JDBC. Flyway
 * blocks, so it runs on {@link Schedulers#boundedElastic()}, never on a Reactor event-loop thread.
 */
final class PgMigrations {
    static final String LOCATION = "classpath:db/postgres";

    private PgMigrations() {
    }

    /**
     * Migrates the options' schema (creating it when missing) to the newest version. Completes empty;
     * errors with {@link UnavailableException} carrying Flyway's exception when the database is
     * unreachable or a migration fails.
     */
    static Mono<Void> migrate(PostgresOptions options) {
        return Mono.fromCallable(() -> flyway(options).migrate())
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(FlywayException.class, e -> new UnavailableException(
                        "migrating " + options.jdbcUrl() + " (schema " + options.schema() + ") failed: "
                                + e.getMessage(), e))
                .then();
    }

    private static Flyway flyway(PostgresOptions options) {
        // Our own class loader: the migrations live in a jar next to this one, whatever the caller's
        // thread context class loader is.
        return Flyway.configure(PgMigrations.class.getClassLoader())
                .dataSource(options.jdbcUrl(), options.user(), options.password())
                .schemas(options.schema())
                .defaultSchema(options.schema())
                .locations(LOCATION)
                .load();
    }
}
