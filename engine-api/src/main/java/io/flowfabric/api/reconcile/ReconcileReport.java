package io.flowfabric.api.reconcile;

/**
 * What one reconciler pass did.
 *
 * @param examined candidate rows found due
 * @param actedOn rows changed (a candidate another engine handled first, or whose condition no longer held
 *     under lock, is examined but not acted on)
 * @param failed rows whose transaction failed; they are retried on the next pass
 */
public record ReconcileReport(String reconciler, int examined, int actedOn, int failed) {
}
