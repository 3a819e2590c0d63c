package io.flowfabric.postgres;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.internal.CompletionGrant;
import io.r2dbc.spi.Statement;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;

/**
 * Successful completions as one statement: data-modifying CTEs complete every requested execution whose
 * fence holds the live lease, end its attempt and write its lease and completion events, and the statement
 * commits on its own. One round trip and one commit per batch, and no read of the rows first. Requests the
 * statement does not complete (a stale or repeated fence, a lapsed lease, a missing execution) are left
 * untouched for the core to judge. Every value the core decides arrives in the {@link CompletionGrant}.
 */
final class PgComplete {

    /*
     * $1-$6: the requests as arrays (partition key, execution id, lease id, lease epoch, attempt id, result);
     * the results travel as base64 text (the driver binds text arrays; decode() restores the bytes).
     * $7-$13: the target state columns and public state. $14: now. $15: the active phase. $16: the lapsed
     * ownership states. $17: the ended attempt's lifecycle. $18: the lease event type.
     */
    static final String COMPLETE = """
            WITH requested AS (
                SELECT *
                FROM unnest($1::smallint[], $2::uuid[], $3::uuid[], $4::bigint[], $5::uuid[], $6::text[])
                     WITH ORDINALITY AS r(partition_key, execution_id, lease_id, lease_epoch, attempt_id, result, ord)
            ),
            completed AS (
                UPDATE ff_exec_core e SET
                    lifecycle_phase = $7, ownership_state = $8, eligibility_state = $9, blocking_reason = $10,
                    terminal_outcome = $11, attempt_state = $12, public_state = $13,
                    terminal_at_ms = $14, updated_at_ms = $14,
                    lease_expires_at_ms = NULL, attempt_deadline_at_ms = NULL,
                    result = decode(r.result, 'base64'),
                    row_version = e.row_version + 1
                FROM requested r
                WHERE e.partition_key = r.partition_key AND e.execution_id = r.execution_id
                  AND e.lease_id = r.lease_id AND e.lease_epoch = r.lease_epoch
                  AND e.current_attempt_id = r.attempt_id
                  AND e.lifecycle_phase = $15
                  AND e.ownership_state <> ALL ($16::text[])
                  AND e.lease_expires_at_ms > $14
                RETURNING e.partition_key, e.execution_id, e.namespace, e.tags_json, e.terminal_outcome,
                          e.lease_id, e.lease_epoch, e.current_attempt_index, e.lease_worker_instance_id, r.ord
            ),
            attempts_ended AS (
                UPDATE ff_attempt a SET
                    attempt_lifecycle = $17, ended_at_ms = $14, error_type = NULL, error_message = NULL
                FROM completed c
                WHERE a.partition_key = c.partition_key AND a.execution_id = c.execution_id
                  AND a.attempt_index = c.current_attempt_index
            ),
            """ + PgLeaseEvents.cte("completed", "$18", "$14", "ord") + """
            ,
            completion_events AS (
                INSERT INTO ff_completion_event (partition_key, execution_id, namespace, event_type, tags_json,
                                                 occurred_at_ms, details_json)
                SELECT partition_key, execution_id, namespace, terminal_outcome, tags_json, $14, '{}'::jsonb
                FROM completed
                ORDER BY ord
            )
            SELECT ord FROM completed
            """;

    private PgComplete() {
    }

    /**
     * Runs {@link #COMPLETE} on the session (which must be outside any transaction); emits the indexes of
     * the completed requests once the statement has committed (see {@link PgClaim#claim}).
     */
    static Flux<Integer> complete(PgSession session, List<CompleteExecution> requests, CompletionGrant grant) {
        return session.query(COMPLETE, s -> bind(s, requests, grant), r -> r.get("ord", Long.class).intValue() - 1)
                .collectList()
                .flatMapIterable(indexes -> indexes);
    }

    private static void bind(Statement s, List<CompleteExecution> requests, CompletionGrant grant) {
        int n = requests.size();
        Short[] partitions = new Short[n];
        UUID[] executions = new UUID[n];
        UUID[] leases = new UUID[n];
        Long[] epochs = new Long[n];
        UUID[] attempts = new UUID[n];
        String[] results = new String[n];
        for (int i = 0; i < n; i++) {
            CompleteExecution request = requests.get(i);
            partitions[i] = (short) request.executionId().partition();
            executions[i] = request.executionId().uuid();
            leases[i] = request.fence().leaseId().value();
            epochs[i] = request.fence().leaseEpoch();
            attempts[i] = request.fence().attemptId().value();
            results[i] = Base64.getEncoder().encodeToString(request.result().bytes());
        }
        StateVector target = grant.target();
        s.bind(0, partitions).bind(1, executions).bind(2, leases).bind(3, epochs).bind(4, attempts)
                .bind(5, results)
                .bind(6, target.lifecyclePhase().literal()).bind(7, target.ownershipState().literal())
                .bind(8, target.eligibilityState().literal()).bind(9, target.blockingReason().literal())
                .bind(10, target.terminalOutcome().literal()).bind(11, target.attemptState().literal())
                .bind(12, target.publicState().literal())
                .bind(13, grant.nowMs()).bind(14, grant.activePhase().literal())
                .bind(15, grant.lapsedOwnership().stream().map(OwnershipState::literal).toArray(String[]::new))
                .bind(16, grant.attemptLifecycle().literal()).bind(17, grant.leaseEventType());
    }
}
