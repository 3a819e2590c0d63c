package io.flowfabric.api;

import java.time.Instant;

/** Result of a renewal: the new expiry and the (unchanged) lease epoch. */
public record LeaseRenewal(Instant expiresAt, long leaseEpoch) {
}
