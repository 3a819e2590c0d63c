package io.flowfabric.examples.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Finds the text files under a directory: regular files up to {@value #MAX_FILE_BYTES} bytes with no NUL
 * byte in their first {@value #SNIFF_BYTES} bytes, outside {@code .git} and {@code target} directories,
 * in path order, at most {@code maxFiles} of them. Blocking: call it on a blocking-capable scheduler.
 */
final class SourceFiles {
    static final long MAX_FILE_BYTES = 512 * 1024;
    private static final int SNIFF_BYTES = 8192;
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target");

    /** A file to analyse. */
    record SourceFile(Path path, String relativePath, long size) {
    }

    private SourceFiles() {
    }

    static List<SourceFile> scan(Path root, int maxFiles) throws IOException {
        Path start = root.toAbsolutePath().normalize();
        List<SourceFile> found = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean skipped = !dir.equals(start) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString());
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && attrs.size() <= MAX_FILE_BYTES && isText(file)) {
                    String relative = start.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    found.add(new SourceFile(file, relative, attrs.size()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found.stream()
                .sorted(Comparator.comparing(SourceFile::relativePath))
                .limit(maxFiles)
                .toList();
    }

    private static boolean isText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SNIFF_BYTES);
            for (byte b : head) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
