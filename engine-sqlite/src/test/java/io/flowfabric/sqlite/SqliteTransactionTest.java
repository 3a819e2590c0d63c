package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.StoreTx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * Transaction boundaries, the single-writer discipline and its guards, on a SQLite file;
 * {@link SqliteInMemoryTransactionTest} repeats it in memory.
 */
class SqliteTransactionTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String WRITER_PREFIX = "flowfabric-sqlite-writer-";

    @TempDir
    Path dir;

    SqliteStore store;

    SqliteOptions options() {
        return SqliteOptions.file(dir.resolve("tx.db"));
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(options()).block(TIMEOUT);
    }

    @AfterEach
    void close() {
        store.close().block(TIMEOUT);
    }

    ExecutionRow insertNew() {
        ExecutionRow row = TestRows.runnable(1, 1);
        assertThat(store.inTransaction(t -> t.insertExecution(row)).block(TIMEOUT)).isTrue();
        return row;
    }

    boolean exists(ExecutionRow row) {
        return store.read(r -> r.findExecution(row.id())).blockOptional(TIMEOUT).isPresent();
    }

    @Test
    void rollsBackWhenTheWorkErrors() {
        ExecutionRow row = TestRows.runnable(1, 1);

        StepVerifier.create(store.inTransaction(t -> t.insertExecution(row)
                        .then(Mono.error(new IllegalArgumentException("boom")))))
                .expectErrorMessage("boom")
                .verify(TIMEOUT);

        assertThat(exists(row)).isFalse();
    }

    @Test
    void rollsBackWhenTheWorkThrowsWhileComposing() {
        ExecutionRow row = TestRows.runnable(1, 1);

        StepVerifier.create(store.inTransaction(t -> {
            t.insertExecution(row).block();
            throw new IllegalArgumentException("thrown");
        })).expectErrorMessage("thrown").verify(TIMEOUT);

        assertThat(exists(row)).isFalse();
    }

    @Test
    void rollsBackAndFailsWhenTheWorkDoesNotCompleteSynchronously() {
        ExecutionRow row = TestRows.runnable(1, 1);

        StepVerifier.create(store.inTransaction(t -> t.insertExecution(row)
                        .delayElement(Duration.ofMillis(50))
                        .then(t.findExecution(row.id()))))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("did not complete synchronously"))
                .verify(TIMEOUT);

        assertThat(exists(row)).isFalse();
    }

    @Test
    void rollsBackAndFailsWhenAStatementIsSubscribedOnAnotherThread() {
        ExecutionRow row = TestRows.runnable(1, 1);
        ExecutionRow other = TestRows.runnable(1, 2);

        // Either guard may fire first: the statement's thread check, or the completion check.
        StepVerifier.create(store.inTransaction(t -> t.insertExecution(row)
                        .then(t.insertExecution(other).subscribeOn(Schedulers.parallel()))))
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);

        assertThat(exists(row)).isFalse();
        assertThat(exists(other)).isFalse();
    }

    @Test
    void writerThreadGuardRejectsStatementsFromAnotherThread() throws Exception {
        ExecutionRow row = insertNew();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        store.inTransaction(t -> {
            Thread other = new Thread(() -> {
                try {
                    t.findExecution(row.id()).block();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "not-the-writer");
            other.start();
            join(other);
            return Mono.just(true);
        }).block(TIMEOUT);

        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not-the-writer")
                .hasMessageContaining("writer thread '" + WRITER_PREFIX);
    }

    @Test
    void statementsOfAnEndedTransactionFail() {
        ExecutionRow row = insertNew();
        AtomicReference<StoreTx> ended = new AtomicReference<>();
        store.inTransaction(t -> {
            ended.set(t);
            return Mono.empty();
        }).block(TIMEOUT);

        StepVerifier.create(store.inTransaction(t -> ended.get().lockExecution(row.id())))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("after its writer scope ended"))
                .verify(TIMEOUT);
    }

    @Test
    void runsWorkOnTheWriterThreadAndDeliversTheResultElsewhere() {
        Tuple2<String, String> threads = store.inTransaction(t -> Mono.fromCallable(
                        () -> Thread.currentThread().getName()))
                .map(workThread -> Tuples.of(workThread, Thread.currentThread().getName()))
                .block(TIMEOUT);

        assertThat(threads.getT1()).startsWith(WRITER_PREFIX);
        assertThat(threads.getT2()).doesNotStartWith(WRITER_PREFIX);
    }

    @Test
    void readsAreNotDeliveredOnTheWriterThread() {
        ExecutionRow row = insertNew();

        String delivered = store.read(r -> r.findExecution(row.id()))
                .map(found -> Thread.currentThread().getName())
                .block(TIMEOUT);

        assertThat(delivered).doesNotStartWith(WRITER_PREFIX);
    }

    @Test
    void concurrentReadModifyWriteTransactionsLoseNoUpdate() {
        ExecutionRow row = insertNew();
        int increments = 500;

        Flux<Integer> writes = Flux.range(0, increments)
                .flatMap(i -> store.inTransaction(t -> t.lockExecution(row.id()).flatMap(locked -> {
                    locked.retryCount++;
                    return t.updateExecution(locked);
                }).thenReturn(i)), 64);
        Flux<Integer> reads = Flux.range(0, 100)
                .flatMap(i -> store.read(r -> r.findExecution(row.id())).thenReturn(i), 8);

        StepVerifier.create(Flux.merge(writes.subscribeOn(Schedulers.parallel()),
                        reads.subscribeOn(Schedulers.parallel())))
                .expectNextCount(increments + 100)
                .verifyComplete();

        assertThat(store.read(r -> r.findExecution(row.id())).block(TIMEOUT).retryCount).isEqualTo(increments);
    }

    @Test
    void aTransactionCancelledBeforeItRunsChangesNothing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Mono<Boolean> blocker = store.inTransaction(t -> {
            started.countDown();
            await(release);
            return Mono.just(true);
        });
        Disposable running = blocker.subscribe();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        ExecutionRow row = TestRows.runnable(1, 1);
        Disposable cancelled = store.inTransaction(t -> t.insertExecution(row)).subscribe();
        cancelled.dispose();
        release.countDown();

        assertThat(store.inTransaction(t -> Mono.just(true)).block(TIMEOUT)).isTrue();
        assertThat(exists(row)).isFalse();
        running.dispose();
    }

    @Test
    void closeIsIdempotentEndsTheWriterThreadAndLaterCallsAreUnavailable() throws Exception {
        Thread writer = store.inTransaction(t -> Mono.fromCallable(Thread::currentThread)).block(TIMEOUT);
        assertThat(writer.isDaemon()).isTrue();

        store.close().block(TIMEOUT);
        store.close().block(TIMEOUT);

        writer.join(TIMEOUT.toMillis());
        assertThat(writer.isAlive()).isFalse();

        StepVerifier.create(store.inTransaction(t -> Mono.just(1)))
                .expectError(UnavailableException.class)
                .verify(TIMEOUT);
        StepVerifier.create(store.read(r -> Mono.just(1)))
                .expectError(UnavailableException.class)
                .verify(TIMEOUT);
    }

    private static void join(Thread thread) {
        try {
            thread.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
