package io.flowfabric.api;

import java.time.Instant;

/** The lease an active execution runs under. */
public record CurrentLease(
        LeaseId leaseId,
        long leaseEpoch,
        WorkerId workerId,
        WorkerInstanceId workerInstanceId,
        Instant expiresAt) {
}
