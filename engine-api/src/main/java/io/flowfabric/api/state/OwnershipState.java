package io.flowfabric.api.state;

/** Who holds the execution's lease. */
public enum OwnershipState implements CanonicalLiteral {
    UNOWNED,
    LEASED,
    LEASE_EXPIRED_RECLAIMABLE,
    LEASE_REVOKED;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static OwnershipState fromLiteral(String literal) {
        return CanonicalLiteral.parse(OwnershipState.class, literal);
    }
}
