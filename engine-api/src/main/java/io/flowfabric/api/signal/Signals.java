package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Page;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Waitpoints, suspension and signals: an execution suspends until signals from outside (an approval, a
 * callback) satisfy its resume condition. Signals are authorised by waitpoint tokens, HMAC-SHA256
 * (RFC 2104) over the execution and waitpoint under the engine's current signing key.
 */
public interface Signals {

    /** Creates a pending waitpoint under the caller's lease; the lease is kept. */
    Mono<IssuedWaitpoint> createWaitpoint(CreateWaitpoint request);

    /** Suspends the execution until the condition is satisfied, or reports it already is. */
    Mono<SuspendOutcome> suspend(SuspendExecution request);

    /**
     * Delivers a signal. The token is verified first: malformed or missing →
     * {@code ValidationException(INVALID_INPUT)}, tampered → {@code INVALID_TOKEN}, unknown or retired key
     * → {@code TOKEN_EXPIRED}. Then: unknown execution or waitpoint → {@code NotFoundException}; ended
     * execution → {@link TargetNotSignalableException}; closed waitpoint → {@link WaitpointClosedException};
     * a repeated idempotency key → the first signal's id with effect {@code DEDUPLICATED}; more than
     * {@value #MAX_SIGNALS_PER_EXECUTION} signals → {@code SIGNAL_LIMIT_EXCEEDED}.
     */
    Mono<SignalDelivery> deliver(DeliverSignal request);

    /** A trusted approval from inside the process; see {@link DeliverApproval}. */
    Mono<SignalDelivery> deliverApproval(DeliverApproval request);

    /** The execution's open suspension; empty when it is not suspended. */
    Mono<SuspensionInfo> describeSuspension(ExecutionId executionId);

    /** Operator resume of a suspended execution; {@link ExecutionNotSuspendedException} otherwise. */
    Mono<Void> resume(ExecutionId executionId);

    /** The signals delivered to the waitpoints of the execution's latest suspension, in delivery order. */
    Mono<List<ReceivedSignal>> resumeSignals(ExecutionId executionId);

    /**
     * One page of the execution's open (pending or active) waitpoints, ordered by creation time, then
     * waitpoint id; each shows its token's kid and fingerprint, never the token. A waitpoint that closes
     * between two pages is not listed on the later one; one created after the first page was read may
     * appear on a later page. Unknown execution → {@code NotFoundException}; a cursor this method did not
     * issue → {@code ValidationException(INVALID_CURSOR)}.
     */
    Mono<Page<WaitpointInfo>> listOpenWaitpoints(ListOpenWaitpoints request);

    /**
     * Installs {@code kid} as the current signing key when no key exists yet; a no-op when {@code kid}
     * already exists with the same secret; a {@code ConflictException} when it exists with another secret.
     * Emits whether it installed the key. The backends' options can name keys that the engine seeds this
     * way whenever it opens ({@code withSigningKey(kid, secretHex)}).
     *
     * @param secretHex at least 16 bytes as hex
     */
    Mono<Boolean> seedSigningKey(String kid, String secretHex);

    /**
     * Makes {@code kid} the current signing key. The previous key keeps verifying tokens until now +
     * {@code grace}, then they fail with {@code TOKEN_EXPIRED}. Rotating to the current kid with the same
     * secret is a no-op; the same kid with another secret is a {@code ConflictException}.
     */
    Mono<Void> rotateSigningKey(String kid, String secretHex, Duration grace);

    /** {@link #rotateSigningKey(String, String, Duration)} with the default grace of 24 hours. */
    default Mono<Void> rotateSigningKey(String kid, String secretHex) {
        return rotateSigningKey(kid, secretHex, DEFAULT_ROTATION_GRACE);
    }

    /** How long a superseded signing key keeps verifying tokens by default. */
    Duration DEFAULT_ROTATION_GRACE = Duration.ofHours(24);

    /** The most signals one execution accepts. */
    int MAX_SIGNALS_PER_EXECUTION = 10_000;
}
