package io.flowfabric.sqlite;

import io.flowfabric.api.AttemptId;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.flowfabric.internal.CompletionGrant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

/**
 * The floor under S1 on SQLite: the engine's own claim and completion SQL ({@link SqliteClaim}, {@link
 * SqliteComplete}) run back to back on one thread and one connection, with no worker, no Reactor and no
 * other thread competing. Each transaction claims {@code --batch} executions, completes them and commits.
 * What the engine adds on top of this (handing work between threads, the worker's bookkeeping) shows as
 * the gap between this rate and S1's.
 *
 * <p>It sits in the store's package to call those package-private classes; it writes a temporary file
 * per round and deletes it.
 */
@Command(name = "granted-sql-floor", mixinStandardHelpOptions = true,
        description = "The SQLite claim and completion SQL alone, on one thread.")
public final class GrantedSqlFloor implements Runnable {
    private final Clock clock = Clock.systemUTC();

    @Option(names = "--executions", defaultValue = "10000", description = "per round (${DEFAULT-VALUE})")
    int executions;

    @Option(names = "--batch", defaultValue = "16", description = "executions per transaction (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rounds", defaultValue = "8",
            description = "rounds; the first half are warm-up (${DEFAULT-VALUE})")
    int rounds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GrantedSqlFloor()).execute(args));
    }

    @Override
    public void run() {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double[] perExecution = round(round);
            double total = perExecution[0] + perExecution[1] + perExecution[2];
            boolean measured = round >= rounds / 2;
            System.out.printf(Locale.ROOT, "round %d%s: claim %.1f + complete %.1f + commit %.1f = %.1f us per"
                    + " execution (%.0f/s), WAL %.1f KiB per execution%n", round + 1, measured ? "" : " (warm-up)",
                    perExecution[0], perExecution[1], perExecution[2], total, 1e6 / total, perExecution[3]);
            if (measured) {
                rates.add(1e6 / total);
            }
        }
        rates.sort(Double::compare);
        System.out.printf(Locale.ROOT, "median of the measured rounds: %.0f executions/s (batch %d)%n",
                rates.get(rates.size() / 2), batch);
    }

    /** One round on a fresh file: µs per execution for claim, complete and commit, then WAL KiB per execution. */
    private double[] round(int round) {
        Path dir;
        try {
            dir = Files.createTempDirectory("granted-sql-floor");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = dir.resolve("floor.db");
        try {
            fill(file);
            try (SqliteConnection c = Connections.writer(SqliteOptions.file(file))) {
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                // No checkpoint during the round, so the log's size is what the round wrote.
                c.execute("PRAGMA wal_autocheckpoint = 0");
                long claim = 0;
                long complete = 0;
                long commit = 0;
                int done = 0;
                while (true) {
                    long now = clock.millis();
                    long t0 = System.nanoTime();
                    c.execute("BEGIN IMMEDIATE");
                    List<ClaimedRow> rows = SqliteClaim.claim(c, new ClaimQuery("default", "floor", List.of(), now,
                            batch), new ClaimGrant(now, 30_000, "floor-worker", "floor-instance"));
                    long t1 = System.nanoTime();
                    if (rows.isEmpty()) {
                        c.execute("COMMIT");
                        break;
                    }
                    List<CompleteExecution> requests = new ArrayList<>(rows.size());
                    for (ClaimedRow r : rows) {
                        requests.add(new CompleteExecution(r.id(), new LeaseFence(LeaseId.of(r.leaseId()),
                                r.leaseEpoch(), AttemptId.of(r.attemptId())), Payload.EMPTY));
                    }
                    done += SqliteComplete.complete(c, requests, new CompletionGrant(now)).size();
                    long t2 = System.nanoTime();
                    c.execute("COMMIT");
                    long t3 = System.nanoTime();
                    claim += t1 - t0;
                    complete += t2 - t1;
                    commit += t3 - t2;
                }
                if (done != executions) {
                    throw new IllegalStateException("round " + round + " completed " + done + " of " + executions);
                }
                double walKib = Files.size(dir.resolve("floor.db-wal")) / 1024.0;
                return new double[] {claim / 1e3 / done, complete / 1e3 / done, commit / 1e3 / done, walKib / done};
            }
        } catch (Exception e) {
            throw new IllegalStateException("round " + round + " failed", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Creates the round's executions through the engine, so the rows are exactly what it writes. */
    private void fill(Path file) {
        Engine engine = SqliteEngine.open(SqliteOptions.file(file).withReconcilers(ReconcilerSettings.manual()))
                .block(Duration.ofMinutes(1));
        try {
            LaneId lane = LaneId.of("floor");
            Flux.range(0, executions)
                    .flatMap(i -> engine.executions().create(CreateExecution.of("noop", lane, Payload.EMPTY)), 32)
                    .blockLast(Duration.ofMinutes(5));
        } finally {
            engine.close();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
