package io.tributary.eventsjob;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts a Delta table's committed rows from the {@code numRecords} of the {@code add} actions in
 * its JSON commits, reading them line by line: cheap enough to poll a table of many thousand
 * files without holding its snapshot. Only for tables that never remove files (no compaction).
 */
final class DeltaLogRows {
  private static final Pattern NUM_RECORDS = Pattern.compile("\\\\\"numRecords\\\\\":(\\d+)");

  private DeltaLogRows() {}

  /** Rows committed so far. */
  static long committedRows(Path table) throws IOException {
    return perCommit(table).values().stream().mapToLong(c -> c[1]).sum();
  }

  /** Per JSON commit (by file name, in version order): {@code {add actions, rows}}. */
  static java.util.SortedMap<String, long[]> perCommit(Path table) throws IOException {
    java.util.SortedMap<String, long[]> out = new java.util.TreeMap<>();
    Path log = table.resolve("_delta_log");
    if (!Files.isDirectory(log)) {
      return out;
    }
    try (Stream<Path> commits = Files.list(log)) {
      for (Path commit : (Iterable<Path>) commits.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))::iterator) {
        long[] counts = new long[2];
        out.put(commit.getFileName().toString(), counts);
        try (BufferedReader in = Files.newBufferedReader(commit)) {
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("{\"add\"")) {
              counts[0]++;
              Matcher m = NUM_RECORDS.matcher(line);
              if (m.find()) {
                counts[1] += Long.parseLong(m.group(1));
              }
            }
          }
        }
      }
    }
    return out;
  }
}
