package io.flowfabric.internal;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.SigningKey;
import io.flowfabric.api.signal.SigningKeyId;
import io.flowfabric.api.signal.WaitpointToken;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Seeding, rotation and lookup of waitpoint signing keys. */
final class SigningKeys {
    private final Store store;
    private final Clock clock;

    SigningKeys(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Mono<Boolean> seed(String kid, String secretHex) {
        return Mono.defer(() -> {
            SigningKeyId.require(kid);
            byte[] secret = TokenSigner.parseSecret(secretHex);
            long now = clock.millis();
            return store.inTransaction(tx -> tx.lockSigningKeys().then(seed(tx, kid, secret, now)));
        });
    }

    /**
     * Seeds {@code keys} in list order as {@link #seed(String, String)} does, all in one transaction: when
     * one conflicts, none is written. Emits the kids that were installed.
     */
    Mono<List<String>> seedAll(List<SigningKey> keys) {
        if (keys.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.defer(() -> {
            long now = clock.millis();
            return store.inTransaction(tx -> tx.lockSigningKeys().thenMany(Flux.fromIterable(keys))
                    .concatMap(key -> seed(tx, key.kid(), TokenSigner.parseSecret(key.secretHex()), now)
                            .filter(installed -> installed).map(installed -> key.kid()))
                    .collectList());
        });
    }

    /** Installs the key when {@code kid} is new (current when no key is); emits whether it did. */
    private static Mono<Boolean> seed(StoreTx tx, String kid, byte[] secret, long now) {
        return tx.findSigningKey(kid)
                .map(existing -> {
                    requireSameSecret(existing, secret);
                    return false;
                })
                .switchIfEmpty(Mono.defer(() -> tx.findCurrentSigningKey().hasElement().flatMap(hasCurrent ->
                        tx.upsertSigningKey(key(kid, secret, now, !hasCurrent), now).thenReturn(true))));
    }

    Mono<Void> rotate(String kid, String secretHex, Duration grace) {
        return Mono.defer(() -> {
            SigningKeyId.require(kid);
            byte[] secret = TokenSigner.parseSecret(secretHex);
            if (grace == null || grace.isNegative() || grace.compareTo(Duration.ofDays(365)) > 0) {
                throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "rotation grace must be between 0 and 365 days: " + grace);
            }
            long now = clock.millis();
            return store.inTransaction(tx -> tx.lockSigningKeys().then(tx.findSigningKey(kid))
                    .flatMap(existing -> {
                        requireSameSecret(existing, secret);
                        return existing.current ? Mono.just(true) : Mono.<Boolean>empty();
                    })
                    .switchIfEmpty(Mono.defer(() -> tx.upsertSigningKey(key(kid, secret, now, true),
                            now + grace.toMillis()).thenReturn(true)))
                    .then());
        });
    }

    /** The current key, to sign new tokens. */
    Mono<SigningKeyRow> current(StoreTx tx) {
        return tx.findCurrentSigningKey().switchIfEmpty(Mono.error(() -> new UnavailableException(
                "no waitpoint signing key is configured; set one with the backend options' withSigningKey(kid, "
                        + "secretHex) or seed one with signals().seedSigningKey(kid, secretHex)")));
    }

    /**
     * The key that signed {@code token}, if it may still verify tokens.
     *
     * @throws ValidationException ({@code TOKEN_EXPIRED}) for an unknown kid or a key past its grace period
     */
    Mono<SigningKeyRow> verifying(StoreTx tx, WaitpointToken token, long nowMs) {
        return tx.findSigningKey(token.kid())
                .filter(key -> key.current || key.validUntilMs == null || key.validUntilMs > nowMs)
                .switchIfEmpty(Mono.error(() -> new ValidationException(ValidationException.Kind.TOKEN_EXPIRED,
                        "the token's signing key " + token.kid() + " is unknown or retired")));
    }

    private static SigningKeyRow key(String kid, byte[] secret, long now, boolean current) {
        SigningKeyRow row = new SigningKeyRow();
        row.kid = kid;
        row.secret = secret;
        row.createdAtMs = now;
        row.current = current;
        return row;
    }

    private static void requireSameSecret(SigningKeyRow existing, byte[] secret) {
        if (!MessageDigest.isEqual(existing.secret, secret)) {
            throw new ConflictException("signing key " + existing.kid + " already exists with another secret");
        }
    }
}
