package io.flowfabric.api;

import java.util.List;

/**
 * One page of results. {@code nextCursor} is non-null when the page is full and more may follow; pass it
 * back to get the entries strictly after this page. Cursors are opaque.
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
