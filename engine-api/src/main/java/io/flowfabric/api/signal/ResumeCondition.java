package io.flowfabric.api.signal;

import io.flowfabric.api.error.ValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * When a suspended execution resumes, as a tree of at most {@value #MAX_DEPTH} levels:
 * {@link Single} (a signal on one waitpoint, by name or any), {@link AllOf}, {@link AnyOf}, and
 * {@link Count} ({@code n} distinct sources, waitpoints or signals among matching signals). Validated on
 * construction; a deeper tree or an impossible count is a {@code INVALID_INPUT} validation error.
 */
public sealed interface ResumeCondition permits ResumeCondition.Single, ResumeCondition.AllOf, ResumeCondition.AnyOf,
        ResumeCondition.Count {

    int MAX_DEPTH = 4;

    /** Whether the signals received so far satisfy the condition. */
    boolean isSatisfiedBy(List<ReceivedSignal> signals);

    /**
     * Whether {@code signal} counts towards some leaf of the condition. Conditions only grow more satisfied
     * as matching signals arrive, so a signal that matches no leaf cannot change the outcome.
     */
    boolean counts(ReceivedSignal signal);

    /** The depth of this tree: 1 for a leaf. */
    int depth();

    /** The waitpoint keys the condition names. */
    Set<String> namedWaitpointKeys();

    /**
     * A signal on {@code waitpointKey} whose name is {@code signalName}, or any name when it is
     * {@code null}.
     */
    record Single(String waitpointKey, String signalName) implements ResumeCondition {
        public Single {
            requireText(waitpointKey, "waitpoint key");
        }

        @Override
        public boolean isSatisfiedBy(List<ReceivedSignal> signals) {
            return signals.stream().anyMatch(this::matches);
        }

        @Override
        public boolean counts(ReceivedSignal s) {
            return matches(s);
        }

        boolean matches(ReceivedSignal s) {
            return waitpointKey.equals(s.waitpointKey()) && (signalName == null || signalName.equals(s.name()));
        }

        @Override
        public int depth() {
            return 1;
        }

        @Override
        public Set<String> namedWaitpointKeys() {
            return Set.of(waitpointKey);
        }
    }

    /** Every member is satisfied. */
    record AllOf(List<ResumeCondition> members) implements ResumeCondition {
        public AllOf {
            members = requireMembers(members);
        }

        @Override
        public boolean isSatisfiedBy(List<ReceivedSignal> signals) {
            return members.stream().allMatch(m -> m.isSatisfiedBy(signals));
        }

        @Override
        public boolean counts(ReceivedSignal signal) {
            return members.stream().anyMatch(m -> m.counts(signal));
        }

        @Override
        public int depth() {
            return 1 + members.stream().mapToInt(ResumeCondition::depth).max().orElse(0);
        }

        @Override
        public Set<String> namedWaitpointKeys() {
            return union(members);
        }
    }

    /** At least one member is satisfied. */
    record AnyOf(List<ResumeCondition> members) implements ResumeCondition {
        public AnyOf {
            members = requireMembers(members);
        }

        @Override
        public boolean isSatisfiedBy(List<ReceivedSignal> signals) {
            return members.stream().anyMatch(m -> m.isSatisfiedBy(signals));
        }

        @Override
        public boolean counts(ReceivedSignal signal) {
            return members.stream().anyMatch(m -> m.counts(signal));
        }

        @Override
        public int depth() {
            return 1 + members.stream().mapToInt(ResumeCondition::depth).max().orElse(0);
        }

        @Override
        public Set<String> namedWaitpointKeys() {
            return union(members);
        }
    }

    /** What a {@link Count} counts among matching signals. */
    enum CountKind {
        /** Distinct {@code (sourceType, sourceIdentity)} pairs: two signals from one approver count once. */
        DISTINCT_SOURCES,
        /** Distinct waitpoints that received a matching signal. */
        DISTINCT_WAITPOINTS,
        /** Distinct signal ids. */
        DISTINCT_SIGNALS
    }

    /**
     * At least {@code n} distinct things among the signals on {@code waitpointKeys} whose name is
     * {@code signalName} (any name when {@code null}).
     */
    record Count(int n, CountKind kind, List<String> waitpointKeys, String signalName) implements ResumeCondition {
        public Count {
            if (kind == null || waitpointKeys == null || waitpointKeys.isEmpty()) {
                throw invalid("a count condition needs a kind and at least one waitpoint key");
            }
            waitpointKeys = List.copyOf(waitpointKeys);
            waitpointKeys.forEach(k -> requireText(k, "waitpoint key"));
            if (n < 1) {
                throw invalid("a count condition needs n >= 1, got " + n);
            }
            if (kind == CountKind.DISTINCT_WAITPOINTS && n > new HashSet<>(waitpointKeys).size()) {
                throw invalid("counting " + n + " distinct waitpoints among " + waitpointKeys.size()
                        + " can never be satisfied");
            }
        }

        @Override
        public boolean counts(ReceivedSignal s) {
            return waitpointKeys.contains(s.waitpointKey()) && (signalName == null || signalName.equals(s.name()));
        }

        @Override
        public boolean isSatisfiedBy(List<ReceivedSignal> signals) {
            Function<ReceivedSignal, Object> identity = switch (kind) {
                case DISTINCT_SOURCES -> s -> List.of(String.valueOf(s.sourceType()), String.valueOf(s.sourceIdentity()));
                case DISTINCT_WAITPOINTS -> ReceivedSignal::waitpointKey;
                case DISTINCT_SIGNALS -> ReceivedSignal::signalId;
            };
            return signals.stream()
                    .filter(this::counts)
                    .map(identity)
                    .distinct()
                    .count() >= n;
        }

        @Override
        public int depth() {
            return 1;
        }

        @Override
        public Set<String> namedWaitpointKeys() {
            return Set.copyOf(waitpointKeys);
        }
    }

    /** A single signal named {@code name} on {@code waitpointKey}. */
    static ResumeCondition signal(String waitpointKey, String name) {
        return new Single(waitpointKey, name);
    }

    /**
     * Validates the whole tree.
     *
     * @throws ValidationException when it is deeper than {@value #MAX_DEPTH}
     */
    static ResumeCondition validated(ResumeCondition condition) {
        if (condition == null) {
            throw invalid("a resume condition is required");
        }
        if (condition.depth() > MAX_DEPTH) {
            throw invalid("a resume condition may nest at most " + MAX_DEPTH + " levels, got " + condition.depth());
        }
        return condition;
    }

    private static List<ResumeCondition> requireMembers(List<ResumeCondition> members) {
        if (members == null || members.isEmpty()) {
            throw invalid("a composite condition needs at least one member");
        }
        List<ResumeCondition> copy = List.copyOf(members);
        int depth = 1 + copy.stream().mapToInt(ResumeCondition::depth).max().orElse(0);
        if (depth > MAX_DEPTH) {
            throw invalid("a resume condition may nest at most " + MAX_DEPTH + " levels, got " + depth);
        }
        return copy;
    }

    private static Set<String> union(List<ResumeCondition> members) {
        Set<String> keys = new HashSet<>();
        members.forEach(m -> keys.addAll(m.namedWaitpointKeys()));
        return Set.copyOf(keys);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 256) {
            throw invalid(what + " must be 1-256 characters");
        }
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_INPUT, detail);
    }
}
