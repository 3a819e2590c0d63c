package io.flowfabric.internal;

/** The outbox feeds: each has its own table and its own notification channel on PostgreSQL. */
public enum Feed {
    COMPLETION("ff_completion_event", "ff_completion"),
    LEASE("ff_lease_event", "ff_lease"),
    OPERATOR("ff_operator_event", "ff_operator"),
    SIGNAL("ff_signal_event", "ff_signal");

    private final String table;
    private final String channel;

    Feed(String table, String channel) {
        this.table = table;
        this.channel = channel;
    }

    /** The outbox table. */
    public String table() {
        return table;
    }

    /** The PostgreSQL notification channel a commit that appended to the table notifies. */
    public String channel() {
        return channel;
    }

    /** Lower-case name used in cursors and messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
