package io.flowfabric.api.feed;

/** The engine's feeds, for calls that name one. */
public enum FeedName {
    COMPLETIONS,
    LEASE_HISTORY,
    OPERATOR_EVENTS,
    SIGNAL_DELIVERIES
}
