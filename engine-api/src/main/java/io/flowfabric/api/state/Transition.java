package io.flowfabric.api.state;

import static io.flowfabric.api.state.AttemptState.ATTEMPT_INTERRUPTED;
import static io.flowfabric.api.state.AttemptState.ATTEMPT_TERMINAL;
import static io.flowfabric.api.state.AttemptState.PENDING_FIRST_ATTEMPT;
import static io.flowfabric.api.state.AttemptState.PENDING_RETRY_ATTEMPT;
import static io.flowfabric.api.state.AttemptState.RUNNING_ATTEMPT;
import static io.flowfabric.api.state.BlockingReason.WAITING_FOR_DELAY;
import static io.flowfabric.api.state.BlockingReason.WAITING_FOR_RETRY_BACKOFF;
import static io.flowfabric.api.state.BlockingReason.WAITING_FOR_WORKER;
import static io.flowfabric.api.state.EligibilityState.ELIGIBLE_NOW;
import static io.flowfabric.api.state.EligibilityState.NOT_APPLICABLE;
import static io.flowfabric.api.state.EligibilityState.NOT_ELIGIBLE_UNTIL_TIME;
import static io.flowfabric.api.state.LifecyclePhase.ACTIVE;
import static io.flowfabric.api.state.LifecyclePhase.RUNNABLE;
import static io.flowfabric.api.state.LifecyclePhase.SUSPENDED;
import static io.flowfabric.api.state.LifecyclePhase.TERMINAL;
import static io.flowfabric.api.state.OwnershipState.LEASED;
import static io.flowfabric.api.state.OwnershipState.UNOWNED;

import java.util.EnumSet;
import java.util.Set;

/**
 * The execution state machine, declared as data: each transition names the operation, the lifecycle
 * phases it may start from, and the state vector it produces. Engines apply a transition only through
 * {@link #apply}, so the table below is the single source of truth for what each operation writes.
 */
public enum Transition {
    CREATE_ELIGIBLE("create", EnumSet.noneOf(LifecyclePhase.class),
            new StateVector(RUNNABLE, UNOWNED, ELIGIBLE_NOW, WAITING_FOR_WORKER, TerminalOutcome.NONE,
                    PENDING_FIRST_ATTEMPT)),
    CREATE_DELAYED("create", EnumSet.noneOf(LifecyclePhase.class),
            new StateVector(RUNNABLE, UNOWNED, NOT_ELIGIBLE_UNTIL_TIME, WAITING_FOR_DELAY, TerminalOutcome.NONE,
                    PENDING_FIRST_ATTEMPT)),
    /** Claim of a pending first, retry or replay attempt: a new attempt record is created. */
    CLAIM_NEW_ATTEMPT("claim", EnumSet.of(RUNNABLE),
            new StateVector(ACTIVE, LEASED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.NONE,
                    RUNNING_ATTEMPT)),
    /** Claim of an interrupted attempt (after a worker delay): the same attempt is leased again. */
    CLAIM_INTERRUPTED_ATTEMPT("claim", EnumSet.of(RUNNABLE),
            new StateVector(ACTIVE, LEASED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.NONE,
                    RUNNING_ATTEMPT)),
    COMPLETE("complete", EnumSet.of(ACTIVE),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.SUCCESS,
                    ATTEMPT_TERMINAL)),
    FAIL_RETRY("fail", EnumSet.of(ACTIVE),
            new StateVector(RUNNABLE, UNOWNED, NOT_ELIGIBLE_UNTIL_TIME, WAITING_FOR_RETRY_BACKOFF,
                    TerminalOutcome.NONE, PENDING_RETRY_ATTEMPT)),
    FAIL_TERMINAL("fail", EnumSet.of(ACTIVE),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.FAILED,
                    ATTEMPT_TERMINAL)),
    WORKER_CANCEL("cancel", EnumSet.of(ACTIVE),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.CANCELLED,
                    ATTEMPT_TERMINAL)),
    OPERATOR_CANCEL("cancel_execution", EnumSet.of(RUNNABLE, ACTIVE, SUSPENDED),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.CANCELLED,
                    ATTEMPT_TERMINAL)),
    DELAY("delay", EnumSet.of(ACTIVE),
            new StateVector(RUNNABLE, UNOWNED, NOT_ELIGIBLE_UNTIL_TIME, WAITING_FOR_DELAY, TerminalOutcome.NONE,
                    ATTEMPT_INTERRUPTED)),
    /** The lease lapsed: the execution stays active and waits for a reclaim. */
    LEASE_EXPIRE("lease_expiry", EnumSet.of(ACTIVE),
            new StateVector(ACTIVE, OwnershipState.LEASE_EXPIRED_RECLAIMABLE, NOT_APPLICABLE, WAITING_FOR_WORKER,
                    TerminalOutcome.NONE, ATTEMPT_INTERRUPTED)),
    /** An operator revoked the lease: the execution stays active and waits for a reclaim. */
    REVOKE_LEASE("revoke_lease", EnumSet.of(ACTIVE),
            new StateVector(ACTIVE, OwnershipState.LEASE_REVOKED, NOT_APPLICABLE, WAITING_FOR_WORKER,
                    TerminalOutcome.NONE, ATTEMPT_INTERRUPTED)),
    /** A new attempt under a new lease replaces an expired or revoked one. */
    RECLAIM("reclaim", EnumSet.of(ACTIVE),
            new StateVector(ACTIVE, LEASED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.NONE,
                    RUNNING_ATTEMPT)),
    /** A reclaim past the policy's reclaim cap fails the execution instead. */
    RECLAIM_CAP_EXCEEDED("reclaim", EnumSet.of(ACTIVE),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.FAILED,
                    ATTEMPT_TERMINAL)),
    PROMOTE_FIRST_ATTEMPT("promote_delayed", EnumSet.of(RUNNABLE),
            new StateVector(RUNNABLE, UNOWNED, ELIGIBLE_NOW, WAITING_FOR_WORKER, TerminalOutcome.NONE,
                    PENDING_FIRST_ATTEMPT)),
    PROMOTE_RETRY_ATTEMPT("promote_delayed", EnumSet.of(RUNNABLE),
            new StateVector(RUNNABLE, UNOWNED, ELIGIBLE_NOW, WAITING_FOR_WORKER, TerminalOutcome.NONE,
                    PENDING_RETRY_ATTEMPT)),
    PROMOTE_INTERRUPTED_ATTEMPT("promote_delayed", EnumSet.of(RUNNABLE),
            new StateVector(RUNNABLE, UNOWNED, ELIGIBLE_NOW, WAITING_FOR_WORKER, TerminalOutcome.NONE,
                    ATTEMPT_INTERRUPTED)),
    /** The lease holder suspends until a resume condition is satisfied; the lease is released. */
    SUSPEND("suspend", EnumSet.of(ACTIVE),
            new StateVector(SUSPENDED, UNOWNED, NOT_APPLICABLE, BlockingReason.WAITING_FOR_SIGNAL,
                    TerminalOutcome.NONE, ATTEMPT_INTERRUPTED)),
    /** A satisfying signal (or an operator) resumes the suspended attempt. */
    RESUME("resume", EnumSet.of(SUSPENDED),
            new StateVector(RUNNABLE, UNOWNED, ELIGIBLE_NOW, WAITING_FOR_WORKER, TerminalOutcome.NONE,
                    ATTEMPT_INTERRUPTED)),
    /** As {@link #RESUME}, but claimable only after the suspension's resume delay. */
    RESUME_DELAYED("resume", EnumSet.of(SUSPENDED),
            new StateVector(RUNNABLE, UNOWNED, NOT_ELIGIBLE_UNTIL_TIME, BlockingReason.WAITING_FOR_RESUME_DELAY,
                    TerminalOutcome.NONE, ATTEMPT_INTERRUPTED)),
    /** A suspension timed out with behaviour {@code fail}. */
    SUSPENSION_TIMEOUT_FAIL("suspension_timeout", EnumSet.of(SUSPENDED),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.FAILED,
                    ATTEMPT_TERMINAL)),
    /** A suspension timed out with behaviour {@code cancel}. */
    SUSPENSION_TIMEOUT_CANCEL("suspension_timeout", EnumSet.of(SUSPENDED),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.CANCELLED,
                    ATTEMPT_TERMINAL)),
    /** A suspension timed out with behaviour {@code expire}. */
    SUSPENSION_TIMEOUT_EXPIRE("suspension_timeout", EnumSet.of(SUSPENDED),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.EXPIRED,
                    ATTEMPT_TERMINAL)),
    /** A suspension timed out with behaviour {@code escalate}: it stays suspended for operator review. */
    SUSPENSION_ESCALATE("suspension_timeout", EnumSet.of(SUSPENDED),
            new StateVector(SUSPENDED, UNOWNED, NOT_APPLICABLE, BlockingReason.WAITING_FOR_OPERATOR_REVIEW,
                    TerminalOutcome.NONE, ATTEMPT_INTERRUPTED)),
    /** The attempt ran past its timeout: terminal, never retried. */
    ATTEMPT_TIMEOUT("attempt_timeout", EnumSet.of(ACTIVE),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.EXPIRED,
                    ATTEMPT_TERMINAL)),
    /** The execution passed its deadline: terminal from any non-terminal phase, never retried. */
    DEADLINE_EXPIRE("execution_deadline", EnumSet.of(RUNNABLE, ACTIVE, SUSPENDED),
            new StateVector(TERMINAL, UNOWNED, NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.EXPIRED,
                    ATTEMPT_TERMINAL));

    private final String operation;
    private final Set<LifecyclePhase> from;
    private final StateVector target;

    Transition(String operation, Set<LifecyclePhase> from, StateVector target) {
        this.operation = operation;
        this.from = from;
        this.target = target;
    }

    /** The operation that performs this transition. */
    public String operation() {
        return operation;
    }

    /** The phases the transition may start from; empty for the creating transitions. */
    public Set<LifecyclePhase> from() {
        return from.isEmpty() ? EnumSet.noneOf(LifecyclePhase.class) : EnumSet.copyOf(from);
    }

    /** The state vector the transition produces. */
    public StateVector target() {
        return target;
    }

    /** Whether the transition may start from {@code phase}. */
    public boolean allowedFrom(LifecyclePhase phase) {
        return from.contains(phase);
    }

    /**
     * Returns the target vector after checking that {@code current} is an allowed starting phase.
     *
     * @throws IllegalStateException when the transition is not allowed from {@code current}; engines
     *     check the guard first and raise a typed error, so this indicates a bug
     */
    public StateVector apply(LifecyclePhase current) {
        if (!from.isEmpty() && !from.contains(current)) {
            throw new IllegalStateException(name() + " is not allowed from " + current.literal());
        }
        return target;
    }
}
