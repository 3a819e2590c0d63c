package io.flowfabric.api.signal;

/** What happens when a suspension's timeout passes before its condition is satisfied. */
public enum TimeoutBehavior {
    /** The execution ends {@code failed}. */
    FAIL,
    /** The execution ends {@code cancelled}. */
    CANCEL,
    /** The execution ends {@code expired}. */
    EXPIRE,
    /** The execution becomes runnable again with a synthetic {@code timeout} signal its worker can see. */
    AUTO_RESUME,
    /** The execution stays suspended, waiting for operator review. */
    ESCALATE
}
