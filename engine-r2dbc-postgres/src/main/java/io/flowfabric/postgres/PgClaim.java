package io.flowfabric.postgres;

import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;

/**
 * The claim as one statement: data-modifying CTEs lock the claimable rows ({@link PgTx#CLAIMABLE}, skipping
 * rows other transactions hold), lease them, start or re-lease their attempts and write their lease events,
 * and the statement commits on its own. One round trip and one commit for a whole batch, instead of BEGIN,
 * the locking read, the writes and COMMIT. Every value the core decides arrives in the {@link ClaimGrant}
 * and is bound; the statement only does the per-row arithmetic the grant describes.
 *
 * <p>All CTEs see one snapshot: the attempt and event inserts read the updated rows from the RETURNING of
 * {@code claimed}, never the table. The final SELECT returns the rows in claim order, each with the type of
 * the attempt its lease runs: the new attempt's, or the resumed attempt's from its record (which the
 * statement's snapshot shows as it was before).
 */
final class PgClaim {

    /*
     * $1-$5: the claim query (namespace, lane, now, offered capabilities, limit), as in PgTx.CLAIMABLE.
     * $6-$12: the target state columns and public state. $13: lease ttl. $14, $15: worker and instance.
     * $16: the attempt state that re-leases the current attempt. $17: the attempt lifecycle.
     * $18-$22: attempt types: retry state -> retry type, replay state -> replay type, otherwise initial.
     * $23: the lease event type.
     */
    static final String CLAIM = """
            WITH picked AS (
                SELECT partition_key, execution_id, attempt_state AS prior_attempt_state,
                       (attempt_state = $16 AND current_attempt_index IS NOT NULL) AS resumed
            """ + PgTx.CLAIMABLE.stripTrailing() + """
            ),
            claimed AS (
                UPDATE ff_exec_core e SET
                    lifecycle_phase = $6, ownership_state = $7, eligibility_state = $8, blocking_reason = $9,
                    terminal_outcome = $10, attempt_state = $11, public_state = $12, blocking_detail = NULL,
                    lease_id = gen_random_uuid(),
                    lease_epoch = e.lease_epoch + 1,
                    lease_ttl_ms = $13,
                    lease_expires_at_ms = $3 + $13,
                    lease_worker_id = $14,
                    lease_worker_instance_id = $15,
                    updated_at_ms = $3,
                    started_at_ms = coalesce(e.started_at_ms, $3),
                    current_attempt_index = CASE WHEN p.resumed THEN e.current_attempt_index
                                                 ELSE e.total_attempt_count END,
                    current_attempt_id = CASE WHEN p.resumed THEN e.current_attempt_id ELSE gen_random_uuid() END,
                    total_attempt_count = CASE WHEN p.resumed THEN e.total_attempt_count
                                               ELSE e.total_attempt_count + 1 END,
                    progress_pct = CASE WHEN p.resumed THEN e.progress_pct END,
                    progress_message = CASE WHEN p.resumed THEN e.progress_message END,
                    attempt_deadline_at_ms = CASE WHEN p.resumed THEN e.attempt_deadline_at_ms
                                                  ELSE $3 + (e.policy_json ->> 'attempt_timeout_ms')::bigint END,
                    row_version = e.row_version + 1
                FROM picked p
                WHERE e.partition_key = p.partition_key AND e.execution_id = p.execution_id
                RETURNING e.*, p.resumed,
                          CASE p.prior_attempt_state WHEN $18 THEN $19 WHEN $20 THEN $21 ELSE $22 END
                              AS new_attempt_type
            ),
            attempts_started AS (
                INSERT INTO ff_attempt (partition_key, execution_id, attempt_index, attempt_id, attempt_type,
                                        attempt_lifecycle, lease_id, lease_epoch, worker_id, worker_instance_id,
                                        started_at_ms)
                SELECT partition_key, execution_id, current_attempt_index, current_attempt_id, new_attempt_type,
                       $17, lease_id, lease_epoch, lease_worker_id, lease_worker_instance_id, $3
                FROM claimed
                WHERE NOT resumed
            ),
            attempts_resumed AS (
                UPDATE ff_attempt a SET
                    attempt_lifecycle = $17, lease_id = c.lease_id, lease_epoch = c.lease_epoch,
                    worker_id = c.lease_worker_id, worker_instance_id = c.lease_worker_instance_id
                FROM claimed c
                WHERE c.resumed
                  AND a.partition_key = c.partition_key AND a.execution_id = c.execution_id
                  AND a.attempt_index = c.current_attempt_index
            ),
            """ + PgLeaseEvents.cte("claimed", "$23", "$3", "priority DESC, created_at_ms, execution_id") + """

            SELECT c.*, CASE WHEN c.resumed THEN a.attempt_type ELSE c.new_attempt_type END AS attempt_type
            FROM claimed c
            LEFT JOIN ff_attempt a
                   ON c.resumed AND a.partition_key = c.partition_key AND a.execution_id = c.execution_id
                  AND a.attempt_index = c.current_attempt_index
            ORDER BY c.priority DESC, c.created_at_ms, c.execution_id
            """;

    private PgClaim() {
    }

    /**
     * Runs {@link #CLAIM} on the session (which must be outside any transaction) and emits the rows once the
     * statement has committed. The server streams RETURNING rows before its implicit COMMIT; the driver
     * completes the statement's results only at ReadyForQuery, which follows the COMMIT. Emitting earlier
     * would let a caller complete an execution whose claim is not yet visible to other connections.
     */
    static Flux<ClaimedRow> claim(PgSession session, ClaimQuery query, ClaimGrant grant) {
        return session.query(CLAIM, s -> bind(s, query, grant), PgClaim::claimedRow)
                .collectList()
                .flatMapIterable(rows -> rows);
    }

    private static void bind(Statement s, ClaimQuery query, ClaimGrant grant) {
        StateVector target = grant.target();
        s.bind(0, query.namespace()).bind(1, query.laneId()).bind(2, query.nowMs())
                .bind(3, PgRows.capabilities(query.capabilities())).bind(4, query.limit())
                .bind(5, target.lifecyclePhase().literal()).bind(6, target.ownershipState().literal())
                .bind(7, target.eligibilityState().literal()).bind(8, target.blockingReason().literal())
                .bind(9, target.terminalOutcome().literal()).bind(10, target.attemptState().literal())
                .bind(11, target.publicState().literal())
                .bind(12, grant.leaseTtlMs()).bind(13, grant.workerId()).bind(14, grant.workerInstanceId())
                .bind(15, grant.resumableState().literal()).bind(16, grant.attemptLifecycle().literal())
                .bind(17, AttemptState.PENDING_RETRY_ATTEMPT.literal())
                .bind(18, ClaimGrant.attemptTypeFor(AttemptState.PENDING_RETRY_ATTEMPT).literal())
                .bind(19, AttemptState.PENDING_REPLAY_ATTEMPT.literal())
                .bind(20, ClaimGrant.attemptTypeFor(AttemptState.PENDING_REPLAY_ATTEMPT).literal())
                .bind(21, ClaimGrant.attemptTypeFor(AttemptState.PENDING_FIRST_ATTEMPT).literal())
                .bind(22, grant.eventType());
    }

    private static ClaimedRow claimedRow(Readable r) {
        return ClaimedRow.of(PgRows.execution(r), AttemptType.fromLiteral(r.get("attempt_type", String.class)),
                r.get("resumed", Boolean.class));
    }
}
