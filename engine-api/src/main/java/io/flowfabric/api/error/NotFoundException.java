package io.flowfabric.api.error;

/** The named entity (execution, attempt, ...) does not exist. */
public final class NotFoundException extends EngineException {
    private final String entity;
    private final String id;

    public NotFoundException(String entity, String id) {
        super(entity + " not found: " + id);
        this.entity = entity;
        this.id = id;
    }

    /** The kind of entity that was looked up, for example {@code "execution"}. */
    public String entity() {
        return entity;
    }

    /** The identifier that was looked up. */
    public String id() {
        return id;
    }
}
