package io.flowfabric.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL and SQLite migration sets must stay twins: the same version numbers with the same
 * descriptions, the same tables, the same columns per table (created or added) and the same index names.
 */
class MigrationParityTest {
    private static final Path ROOT = Path.of("src/main/resources/db");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE\\s+(?:IF NOT EXISTS\\s+)?(\\w+)\\s*\\((.*?)\\n\\);", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "CREATE (?:UNIQUE )?INDEX\\s+(?:IF NOT EXISTS\\s+)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "ALTER TABLE\\s+(\\w+\\s+ADD COLUMN\\s+\\w+)", Pattern.CASE_INSENSITIVE);

    @Test
    void bothDialectsHaveTheSameMigrationFiles() throws IOException {
        assertThat(migrationNames("postgres")).isNotEmpty().isEqualTo(migrationNames("sqlite"));
    }

    @Test
    void bothDialectsDefineTheSameTablesColumnsAndIndexes() throws IOException {
        for (String name : migrationNames("postgres")) {
            String pg = Files.readString(ROOT.resolve("postgres").resolve(name));
            String lite = Files.readString(ROOT.resolve("sqlite").resolve(name));
            assertThat(tables(lite)).as(name).isEqualTo(tables(pg));
            assertThat(matches(CREATE_INDEX, lite)).as(name).isEqualTo(matches(CREATE_INDEX, pg));
            assertThat(matches(ADD_COLUMN, lite)).as(name).isEqualTo(matches(ADD_COLUMN, pg));
        }
    }

    @Test
    void everyPrimaryKeyOverExecutionsStartsWithPartitionKey() throws IOException {
        for (String name : migrationNames("postgres")) {
            String pg = Files.readString(ROOT.resolve("postgres").resolve(name));
            Matcher table = CREATE_TABLE.matcher(pg);
            while (table.find()) {
                String body = table.group(2);
                Matcher pk = Pattern.compile("PRIMARY KEY \\(([^)]*)\\)").matcher(body);
                if (pk.find() && pk.group(1).contains("execution_id")) {
                    assertThat(body).as(table.group(1)).containsPattern("PRIMARY KEY \\(partition_key,");
                }
            }
        }
    }

    private static List<String> migrationNames(String dialect) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(dialect))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__\\w+\\.sql")).sorted()
                    .toList();
        }
    }

    private static Map<String, TreeSet<String>> tables(String sql) {
        Map<String, TreeSet<String>> tables = new TreeMap<>();
        Matcher m = CREATE_TABLE.matcher(sql);
        while (m.find()) {
            TreeSet<String> columns = new TreeSet<>();
            for (String line : m.group(2).split("\n")) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("--") || trimmed.toUpperCase(Locale.ROOT).startsWith("PRIMARY")
                        || trimmed.toUpperCase(Locale.ROOT).startsWith("UNIQUE")
                        || trimmed.toUpperCase(Locale.ROOT).startsWith("CONSTRAINT")) {
                    continue;
                }
                columns.add(trimmed.split("\\s+")[0]);
            }
            tables.put(m.group(1), columns);
        }
        return tables;
    }

    private static List<String> matches(Pattern pattern, String sql) {
        List<String> names = new ArrayList<>();
        Matcher m = pattern.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
