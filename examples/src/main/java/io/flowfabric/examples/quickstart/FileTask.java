package io.flowfabric.examples.quickstart;

/**
 * The payload of a {@code file-stats} execution.
 *
 * @param path the file to read, absolute
 * @param relativePath the path relative to the scanned directory, with {@code /} separators
 */
record FileTask(String path, String relativePath) {
}
