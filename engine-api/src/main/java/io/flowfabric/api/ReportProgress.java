package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/** Request to overwrite the progress of a leased execution: a percentage in [0, 100] and a message. */
public record ReportProgress(ExecutionId executionId, LeaseFence fence, int percent, String message) {
    public ReportProgress {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        if (percent < 0 || percent > 100) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "progress percent must be in [0, 100]: " + percent);
        }
        Validate.optionalText(message, "progress message", 1024);
    }
}
