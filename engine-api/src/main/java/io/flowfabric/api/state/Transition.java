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
                    ATTEMPT_INTERRUPTED));

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
        return EnumSet.copyOf(from.isEmpty() ? EnumSet.noneOf(LifecyclePhase.class) : from);
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
