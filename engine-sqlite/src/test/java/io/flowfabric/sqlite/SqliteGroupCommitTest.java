package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.OutboxRow;
import io.flowfabric.internal.StoreTx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Group commit: concurrent write transactions share one COMMIT, and each still commits or rolls back on
 * its own. Groups are formed deterministically by holding the writer thread inside a transaction while the
 * members queue up. On a SQLite file; {@link SqliteInMemoryGroupCommitTest} repeats it in memory.
 */
class SqliteGroupCommitTest extends StoreFixture {

    /**
     * Runs a transaction that holds the writer thread until the returned latch is counted down, so that
     * the transactions submitted meanwhile queue up and form groups once it is released.
     */
    CountDownLatch holdWriter() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.inTransaction(t -> {
            started.countDown();
            await(release);
            return Mono.just(true);
        }).subscribe();
        await(started);
        return release;
    }

    /** Subscribes now, so the transaction is queued when this returns. */
    <T> CompletableFuture<T> submit(Function<StoreTx, Mono<T>> work) {
        return store.inTransaction(work).toFuture();
    }

    CompletableFuture<Boolean> submitInsert(ExecutionRow row) {
        return submit(t -> t.insertExecution(row));
    }

    boolean exists(ExecutionRow row) {
        return store.read(r -> r.findExecution(row.id())).blockOptional(TIMEOUT).isPresent();
    }

    @Test
    void concurrentTransactionsShareCommitsAndAllCommit() throws Exception {
        long commitsBefore = store.commits();
        long committedBefore = store.committedTransactions();
        int threads = 4;
        int perThread = 50;
        List<ExecutionRow> rows = new ArrayList<>();
        List<CompletableFuture<Boolean>> results = new ArrayList<>();

        CountDownLatch release = holdWriter();
        ExecutorService submitters = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Boolean>>>> submitted = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                List<ExecutionRow> batch = new ArrayList<>();
                for (int j = 0; j < perThread; j++) {
                    batch.add(TestRows.runnable(j % 4, j));
                }
                rows.addAll(batch);
                submitted.add(submitters.submit(() -> batch.stream().map(this::submitInsert).toList()));
            }
            for (Future<List<CompletableFuture<Boolean>>> future : submitted) {
                results.addAll(future.get(30, TimeUnit.SECONDS));
            }
        } finally {
            submitters.shutdown();
        }
        release.countDown();

        for (CompletableFuture<Boolean> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
        }
        int transactions = threads * perThread;
        assertThat(count("SELECT count(*) FROM ff_exec_core")).isEqualTo(transactions);
        assertThat(rows).allMatch(this::exists);
        // The holding transaction commits alone; the 200 queued behind it fill groups of MAX_GROUP.
        int groups = (transactions + GroupCommit.MAX_GROUP - 1) / GroupCommit.MAX_GROUP;
        assertThat(store.commits() - commitsBefore).isEqualTo(1 + groups).isLessThan(transactions);
        assertThat(store.committedTransactions() - committedBefore).isEqualTo(1 + transactions);
    }

    @Test
    void aFailingMemberIsRolledBackAloneAndGetsItsOwnError() throws Exception {
        ExecutionRow a = TestRows.runnable(1, 1);
        ExecutionRow b = TestRows.runnable(1, 2);
        ExecutionRow c = TestRows.runnable(1, 3);
        ExecutionRow d = TestRows.runnable(1, 4);
        ExecutionRow e = TestRows.runnable(1, 5);
        long commitsBefore = store.commits();

        CountDownLatch release = holdWriter();
        CompletableFuture<Boolean> first = submitInsert(a);
        CompletableFuture<Boolean> failing = submit(t -> t.insertExecution(b)
                .then(Mono.error(new IllegalArgumentException("member b failed"))));
        CompletableFuture<Boolean> middle = submitInsert(c);
        // A statement SQLite rejects, after a successful write of the same member.
        CompletableFuture<Integer> sqlFailure = store.<Integer>writeScope(scope -> scope.mono("insert", () -> {
            new SqliteTx(scope).insertExecution(d).block();
            return scope.connection().prepare("INSERT INTO no_such_table VALUES (1)").executeUpdate();
        })).toFuture();
        CompletableFuture<Boolean> last = submitInsert(e);
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(middle.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(last.get(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("member b failed");
        assertThatThrownBy(() -> sqlFailure.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnavailableException.class).hasMessageContaining("no_such_table");
        assertThat(exists(a)).isTrue();
        assertThat(exists(b)).isFalse();
        assertThat(exists(c)).isTrue();
        assertThat(exists(d)).isFalse();
        assertThat(exists(e)).isTrue();
        // The holding transaction, then one group for the five members.
        assertThat(store.commits() - commitsBefore).isEqualTo(2);
    }

    @Test
    void aMemberCancelledWhileItRunsIsRolledBackAndTheOthersCommit() throws Exception {
        ExecutionRow a = TestRows.runnable(1, 1);
        ExecutionRow b = TestRows.runnable(1, 2);
        ExecutionRow c = TestRows.runnable(1, 3);
        ExecutionRow queued = TestRows.runnable(1, 4);
        long committedBefore = store.committedTransactions();
        AtomicReference<Disposable> cancelling = new AtomicReference<>();

        CountDownLatch release = holdWriter();
        CompletableFuture<Boolean> first = submitInsert(a);
        // Its caller cancels after the member wrote its row, before the group commits.
        cancelling.set(store.inTransaction(t -> t.insertExecution(b)
                .doOnNext(inserted -> cancelling.get().dispose())).subscribe());
        // Its caller cancels while it waits in the queue.
        store.inTransaction(t -> t.insertExecution(queued)).subscribe().dispose();
        CompletableFuture<Boolean> last = submitInsert(c);
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(last.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(exists(a)).isTrue();
        assertThat(exists(b)).isFalse();
        assertThat(exists(queued)).isFalse();
        assertThat(exists(c)).isTrue();
        assertThat(store.committedTransactions() - committedBefore).isEqualTo(3);
    }

    @Test
    void feedsAreWokenUpOnlyForCommittedMembers() throws Exception {
        BlockingQueue<Feed> received = new LinkedBlockingQueue<>();
        Disposable subscription = store.feeds().wakeups().subscribe(received::add);
        try {
            ExecutionId id = new ExecutionId(3, UUID.randomUUID());
            AtomicReference<Disposable> cancelling = new AtomicReference<>();

            CountDownLatch release = holdWriter();
            CompletableFuture<Void> failing = submit(t -> t.appendEvent(event(Feed.COMPLETION, id))
                    .then(Mono.error(new IllegalStateException("boom"))));
            CompletableFuture<Void> committed = submit(t -> t.appendEvent(event(Feed.LEASE, id)));
            cancelling.set(store.inTransaction(t -> t.appendEvent(event(Feed.SIGNAL, id))
                    .then(Mono.fromRunnable(() -> cancelling.get().dispose()))).subscribe());
            release.countDown();
            committed.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            submit(t -> t.appendEvent(event(Feed.OPERATOR, id))).get(30, TimeUnit.SECONDS);

            // Wake-ups arrive in commit order: the later commit's arriving second proves the group sent
            // only the committed member's.
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(Feed.LEASE);
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(Feed.OPERATOR);
            assertThat(received.poll(100, TimeUnit.MILLISECONDS)).isNull();
            assertThat(count("SELECT count(*) FROM ff_completion_event")).isZero();
            assertThat(count("SELECT count(*) FROM ff_signal_event")).isZero();
            assertThat(count("SELECT count(*) FROM ff_lease_event")).isEqualTo(1);
        } finally {
            subscription.dispose();
        }
    }

    /**
     * SQLite rolls the whole transaction back on some errors (a full disk, an I/O error); here a member ends
     * it itself. No member of the group may then be told it committed.
     */
    @Test
    void whenTheGroupTransactionEndsWithoutCommitNoMemberIsAcknowledged() throws Exception {
        ExecutionRow a = TestRows.runnable(1, 1);
        ExecutionRow c = TestRows.runnable(1, 3);
        BlockingQueue<Feed> received = new LinkedBlockingQueue<>();
        Disposable subscription = store.feeds().wakeups().subscribe(received::add);
        try {
            long commitsBefore = store.commits();
            CountDownLatch release = holdWriter();
            CompletableFuture<Void> first = submit(t -> t.insertExecution(a)
                    .then(t.appendEvent(event(Feed.COMPLETION, a.id()))));
            CompletableFuture<String> ending = store.<String>writeScope(scope -> scope.mono("end", () -> {
                scope.connection().execute("ROLLBACK");
                return "ended";
            })).toFuture();
            CompletableFuture<Boolean> last = submitInsert(c);
            release.countDown();

            for (CompletableFuture<?> result : List.of(first, ending, last)) {
                assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
                        .cause().isInstanceOf(UnavailableException.class).hasMessageContaining("savepoint");
            }
            assertThat(exists(a)).isFalse();
            assertThat(exists(c)).isFalse();
            assertThat(count("SELECT count(*) FROM ff_completion_event")).isZero();
            assertThat(store.commits() - commitsBefore).isEqualTo(1);
            assertThat(received.poll(100, TimeUnit.MILLISECONDS)).isNull();

            // The writer carries on with the next group.
            assertThat(submitInsert(c).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(exists(c)).isTrue();
        } finally {
            subscription.dispose();
        }
    }

    /** An acknowledged write is committed: a read on another connection, issued at once, sees it. */
    @Test
    void aReadIssuedRightAfterTheAcknowledgementSeesTheWrite() {
        List<ExecutionRow> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(TestRows.runnable(i % 4, i));
        }

        List<Boolean> seen = Flux.fromIterable(rows)
                .flatMap(row -> store.inTransaction(t -> t.insertExecution(row))
                        .then(store.read(r -> r.findExecution(row.id())).hasElement()), 64)
                .collectList()
                .block(TIMEOUT);

        assertThat(seen).hasSize(200).containsOnly(true);
    }

    @Test
    void aWriteSubmittedAfterMoreThanOneGroupOfWritesSeesThemAll() throws Exception {
        int earlier = 2 * GroupCommit.MAX_GROUP + 10;
        CountDownLatch release = holdWriter();
        List<CompletableFuture<Boolean>> inserts = new ArrayList<>();
        for (int i = 0; i < earlier; i++) {
            inserts.add(submitInsert(TestRows.runnable(1, i)));
        }
        CompletableFuture<String> counted = store.<String>writeScope(scope -> scope.mono("count", () -> {
            try (var rs = scope.connection().prepare("SELECT count(*) FROM ff_exec_core").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        })).toFuture();
        release.countDown();

        assertThat(counted.get(30, TimeUnit.SECONDS)).isEqualTo(String.valueOf(earlier));
        for (CompletableFuture<Boolean> insert : inserts) {
            assertThat(insert.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void transactionsQueuedWhenTheStoreClosesFailAsClosed() throws Exception {
        CountDownLatch release = holdWriter();
        List<CompletableFuture<Boolean>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(submitInsert(TestRows.runnable(1, i)));
        }
        CompletableFuture<Void> closing = store.close().toFuture();
        release.countDown();

        for (CompletableFuture<Boolean> result : queued) {
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UnavailableException.class).hasMessageContaining("closed");
        }
        closing.get(30, TimeUnit.SECONDS);
    }

    static OutboxRow event(Feed feed, ExecutionId id) {
        OutboxRow row = new OutboxRow();
        row.feed = feed;
        row.partitionKey = id.partition();
        row.executionId = id.uuid();
        row.namespace = TestRows.NAMESPACE;
        row.eventType = "test";
        row.tagsJson = "{}";
        row.occurredAtMs = 1;
        row.detailsJson = "{}";
        return row;
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
