package io.flowfabric.examples.quickstart;

import java.util.List;

/** The payload of the {@code report} execution: the file executions whose results it aggregates. */
record ReportRequest(List<String> fileExecutions) {
}
