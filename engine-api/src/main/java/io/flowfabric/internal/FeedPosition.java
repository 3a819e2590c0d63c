package io.flowfabric.internal;

/**
 * A position in a feed. Rows are ordered by {@code (txId, eventId)}: on PostgreSQL {@code txId} is the
 * writing transaction's id ({@code xid8}), on SQLite it is always 0 and the event id alone orders the
 * single writer's commits.
 */
public record FeedPosition(long txId, long eventId) implements Comparable<FeedPosition> {
    /** Before every row. */
    public static final FeedPosition ZERO = new FeedPosition(0, 0);

    @Override
    public int compareTo(FeedPosition other) {
        int byTx = Long.compare(txId, other.txId);
        return byTx != 0 ? byTx : Long.compare(eventId, other.eventId);
    }

    public boolean isAfter(FeedPosition other) {
        return compareTo(other) > 0;
    }
}
