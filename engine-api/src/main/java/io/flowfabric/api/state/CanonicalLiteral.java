package io.flowfabric.api.state;

import java.util.Locale;

/** A state value with the canonical lower-case literal the schema stores. */
public interface CanonicalLiteral {
    String literal();

    /** Parses {@code literal} into a constant of {@code type}. */
    static <E extends Enum<E>> E parse(Class<E> type, String literal) {
        if (literal == null) {
            throw new IllegalArgumentException("null " + type.getSimpleName() + " literal");
        }
        try {
            return Enum.valueOf(type, literal.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " literal: " + literal, e);
        }
    }
}
