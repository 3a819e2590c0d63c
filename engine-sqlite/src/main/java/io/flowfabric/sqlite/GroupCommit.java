package io.flowfabric.sqlite;

import io.flowfabric.internal.Feed;
import io.flowfabric.internal.LaneKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs the write transactions of a {@link SqliteStore} on the writer thread in groups that share one
 * {@code COMMIT}.
 *
 * <p>A caller's transaction is queued as a {@link Member}; the writer thread takes up to
 * {@value #MAX_GROUP} queued members at a time and runs them as one SQLite transaction: {@code BEGIN
 * IMMEDIATE}, then each member in queue order inside its own savepoint, then {@code COMMIT}. A member whose
 * work fails (or whose caller cancelled before or while it ran) is rolled back to its savepoint, so only
 * its own writes are undone and the members after it never see them. A member alone in its group needs no
 * savepoint: its failure rolls the whole transaction back. Results are handed to the callers only after
 * the COMMIT succeeded: values to the members that succeeded, their own errors to those that failed. When
 * the group's transaction ends without a COMMIT (COMMIT failed, or SQLite rolled the whole transaction
 * back, which shows as a failing savepoint statement), the group is rolled back and no member is told it
 * committed: members whose work failed get their own error, every other one the mapped SQLite error.
 *
 * <p>The outcome is the same as running the kept members one after the other, each in its own
 * transaction: members run on one thread, one at a time, each sees exactly the writes of the kept members
 * before it, and all of them become visible to readers at once. What a group changes is how often SQLite
 * writes the WAL (once per group instead of once per transaction) and that a failing COMMIT fails every
 * member of the group.
 *
 * <p>Every member schedules one drain task on the writer thread, which runs groups until that member has
 * been taken. A drain task therefore finishes every transaction queued before it was scheduled, so any
 * writer task scheduled after a write (a read of an in-memory database, the close) runs after that write
 * ended. Most drain tasks find their member already taken by an earlier group and do nothing.
 *
 * <p>Only the writer thread calls {@link #drainThrough}; {@link #add} and {@link #remove} are called by any
 * thread.
 */
final class GroupCommit {
    /** The most transactions that share one COMMIT. */
    static final int MAX_GROUP = 64;

    private static final String SAVEPOINT = "SAVEPOINT member";
    private static final String RELEASE = "RELEASE member";
    private static final String ROLLBACK_TO = "ROLLBACK TO member";

    private final Queue<Member<?, ?>> queue = new ConcurrentLinkedQueue<>();
    private final SqliteFeedStore feeds;
    private final Runnable afterCommit;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedMembers = new AtomicLong();

    /** {@code afterCommit} runs on the writer thread after every successful COMMIT. */
    GroupCommit(SqliteFeedStore feeds, Runnable afterCommit) {
        this.feeds = feeds;
        this.afterCommit = afterCommit;
    }

    /** Queues a transaction; the caller then schedules {@code drainThrough(member, ...)} on the writer. */
    void add(Member<?, ?> member) {
        queue.add(member);
    }

    /**
     * Takes a member back out of the queue when its drain task could not be scheduled; false when a group
     * already took it (that group then settles its caller).
     */
    boolean remove(Member<?, ?> member) {
        return queue.remove(member);
    }

    /** How many group COMMITs succeeded so far. */
    long commits() {
        return commits.get();
    }

    /** How many transactions those COMMITs made durable. */
    long committedTransactions() {
        return committedMembers.get();
    }

    /**
     * Runs groups on the writer thread until {@code member} has been taken. A {@code writer} of null means
     * the store is closed: every member taken then fails with {@link SqliteErrors#closed()}.
     */
    void drainThrough(Member<?, ?> member, SqliteConnection writer) {
        while (!member.taken) {
            List<Member<?, ?>> group = take();
            if (group.isEmpty()) {
                return;
            }
            if (writer == null) {
                group.forEach(m -> m.fail(SqliteErrors.closed()));
            } else {
                run(group, writer);
            }
        }
    }

    private List<Member<?, ?>> take() {
        List<Member<?, ?>> group = new ArrayList<>();
        Member<?, ?> next;
        while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
            next.taken = true;
            group.add(next);
        }
        return group;
    }

    /**
     * One group: one transaction, one savepoint per member; results only after COMMIT. A member alone in its
     * group needs no savepoint: when it fails, the whole transaction is rolled back.
     */
    private void run(List<Member<?, ?>> group, SqliteConnection writer) {
        long live = group.stream().filter(member -> !member.cancelled()).count();
        if (live == 0) {
            return;
        }
        try {
            writer.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            abort(group, e);
            return;
        }
        int succeeded = 0;
        try {
            for (Member<?, ?> member : group) {
                if (live == 1 ? runAlone(member, writer) : runInSavepoint(member, writer)) {
                    succeeded++;
                }
            }
            // A group whose members all failed has nothing to make durable.
            writer.execute(succeeded > 0 ? "COMMIT" : "ROLLBACK");
        } catch (SQLException e) {
            rollbackAfter(writer, e);
            abort(group, e);
            return;
        }
        if (succeeded > 0) {
            commits.incrementAndGet();
            committedMembers.addAndGet(succeeded);
            afterCommit.run();
        }
        feeds.committed(appendedFeeds(group));
        feeds.committedClaimable(claimableLanes(group));
        group.forEach(Member::settle);
    }

    private static boolean runAlone(Member<?, ?> member, SqliteConnection writer) {
        member.kept = !member.cancelled() && member.run(writer) && !member.cancelled();
        return member.kept;
    }

    /**
     * Runs one member inside a savepoint; true when its writes stay in the group. Throws only when a
     * savepoint statement fails, which means the group's transaction is gone.
     */
    private static boolean runInSavepoint(Member<?, ?> member, SqliteConnection writer) throws SQLException {
        if (member.cancelled()) {
            return false;
        }
        writer.execute(SAVEPOINT);
        member.kept = member.run(writer) && !member.cancelled();
        if (member.kept) {
            writer.execute(RELEASE);
        } else {
            writer.execute(ROLLBACK_TO);
            writer.execute(RELEASE);
        }
        return member.kept;
    }

    private static Set<Feed> appendedFeeds(List<Member<?, ?>> group) {
        Set<Feed> appended = EnumSet.noneOf(Feed.class);
        for (Member<?, ?> member : group) {
            if (member.kept && member.opened instanceof SqliteTx tx) {
                appended.addAll(tx.appendedFeeds());
            }
        }
        return appended;
    }

    private static Set<LaneKey> claimableLanes(List<Member<?, ?>> group) {
        Set<LaneKey> lanes = new HashSet<>();
        for (Member<?, ?> member : group) {
            if (member.kept && member.opened instanceof SqliteTx tx) {
                lanes.addAll(tx.claimableLanes());
            }
        }
        return lanes;
    }

    /**
     * Rolls the group back after a failed statement. A failed COMMIT or savepoint statement may already have
     * ended the transaction, in which case this ROLLBACK fails too; that failure is kept as suppressed.
     */
    private static void rollbackAfter(SqliteConnection writer, SQLException failure) {
        try {
            writer.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Nothing of the group committed: members keep their own error, the others get the SQLite one. */
    private static void abort(List<Member<?, ?>> group, SQLException cause) {
        for (Member<?, ?> member : group) {
            member.fail(member.error != null ? member.error : SqliteErrors.groupFailure(cause));
        }
    }

    /**
     * One queued transaction: its work, the caller's sink and, once run, its outcome. The outcome fields
     * are used only by the writer thread; {@code cancelled} is set by the caller's thread.
     */
    static final class Member<H, T> {
        private final Function<Scope, H> handle;
        private final Function<H, Mono<T>> work;
        private final MonoSink<T> sink;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private boolean taken;
        /** The work succeeded and its caller had not cancelled: its writes stay in the group. */
        private boolean kept;
        private H opened;
        private T value;
        private Throwable error;

        Member(Function<Scope, H> handle, Function<H, Mono<T>> work, MonoSink<T> sink) {
            this.handle = handle;
            this.work = work;
            this.sink = sink;
        }

        /**
         * Called when the caller cancels. A member not run yet is skipped, one whose work is running is
         * rolled back to its savepoint; once its savepoint is released its writes commit with the group and
         * the caller is just sent nothing.
         */
        void cancel() {
            cancelled.set(true);
        }

        private boolean cancelled() {
            return cancelled.get();
        }

        /** Runs the work in a scope on the writer connection; false when it failed (the error is kept). */
        private boolean run(SqliteConnection writer) {
            Scope scope = new Scope(writer, "writer");
            try {
                opened = handle.apply(scope);
                value = SynchronousResult.run(work, opened, sink.contextView(), "transaction");
                return true;
            } catch (Throwable e) {
                error = e;
                return false;
            } finally {
                scope.end();
            }
        }

        /** After the group's COMMIT (or its ROLLBACK when no member succeeded): the member's own outcome. */
        private void settle() {
            if (error != null) {
                fail(error);
            } else if (kept) {
                sink.success(value);
            }
        }

        /** Fails the caller, unless it cancelled (a cancelled caller is owed nothing). */
        private void fail(Throwable failure) {
            if (!cancelled()) {
                sink.error(failure);
            }
        }
    }
}
