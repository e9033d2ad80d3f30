package io.tributary.delta.maintenance;

import io.delta.kernel.Snapshot;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaTables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Symlink manifests for Redshift Spectrum (and Presto/Athena in manifest mode): for every
 * partition, {@code _symlink_format_manifest/<partition dir>/manifest} lists the absolute paths of
 * the partition's active data files, one per line ({@code s3://} for tables on S3, as Spectrum
 * expects), the layout Delta's {@code GENERATE symlink_format_manifest} produces.
 *
 * <p>Each manifest is replaced atomically: on S3 a manifest is one object, visible only once
 * complete; on a local file system it is written beside the target and renamed over it. A reader
 * therefore sees the old or the new list, never half of one. Manifests of partitions left without
 * files are deleted.
 */
public final class SymlinkManifests {

  /** Directory under the table root, as Delta names it. */
  public static final String DIRECTORY = "_symlink_format_manifest";

  private final MaintainedTable table;

  public SymlinkManifests(MaintainedTable table) {
    this.table = table;
  }

  /** Rewrites every manifest from the latest snapshot and deletes stale ones. @return manifests written */
  public int writeAll() {
    Snapshot snapshot = table.snapshot();
    Map<String, List<String>> byDirectory = filesByDirectory(snapshot, null);
    for (Map.Entry<String, List<String>> e : byDirectory.entrySet()) {
      write(e.getKey(), e.getValue());
    }
    deleteStale(byDirectory.keySet());
    return byDirectory.size();
  }

  /**
   * Rewrites the manifests of {@code partitions} only (those a commit touched) from the latest
   * snapshot. @return manifests written or deleted
   */
  public int update(Collection<Map<String, String>> partitions) {
    if (partitions.isEmpty()) {
      return 0;
    }
    Snapshot snapshot = table.snapshot();
    Set<String> wanted = new HashSet<>();
    for (Map<String, String> p : partitions) {
      wanted.add(DeltaTables.partitionDirectory(snapshot.getPartitionColumnNames(), p));
    }
    Map<String, List<String>> byDirectory = filesByDirectory(snapshot, wanted);
    for (String directory : wanted) {
      List<String> files = byDirectory.get(directory);
      if (files == null) {
        delete(directory);
      } else {
        write(directory, files);
      }
    }
    return wanted.size();
  }

  /** Manifest path of a partition directory ({@code ""} for an unpartitioned table). */
  public Path manifestPath(String partitionDirectory) {
    return new Path(table.root(), DIRECTORY + "/" + partitionDirectory + "manifest");
  }

  private Map<String, List<String>> filesByDirectory(Snapshot snapshot, Set<String> only) {
    List<String> partitionColumns = snapshot.getPartitionColumnNames();
    Map<String, List<String>> result = new TreeMap<>();
    for (ActiveFile f : ActiveFile.list(table.engine(), snapshot)) {
      String directory = DeltaTables.partitionDirectory(partitionColumns, f.partitionValues());
      if (only == null || only.contains(directory)) {
        result.computeIfAbsent(directory, k -> new ArrayList<>()).add(spectrumPath(f.path()));
      }
    }
    result.values().forEach(java.util.Collections::sort);
    return result;
  }

  /** Spectrum and Athena read {@code s3://}; the Hadoop connector writes {@code s3a://}. */
  static String spectrumPath(String path) {
    return path.startsWith("s3a://") ? "s3://" + path.substring("s3a://".length()) : path;
  }

  private void write(String directory, List<String> files) {
    byte[] content = (String.join("\n", files) + "\n").getBytes(StandardCharsets.UTF_8);
    Path target = manifestPath(directory);
    try {
      if ("file".equals(table.root().toUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Paths.get(target.toUri());
        Files.createDirectories(local.getParent());
        java.nio.file.Path tmp = local.resolveSibling(".manifest-" + UUID.randomUUID() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // Object stores publish an object only when its upload completes.
        try (OutputStream out = table.fs().create(target, true)) {
          out.write(content);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write manifest " + target, e);
    }
  }

  private void delete(String directory) {
    try {
      table.fs().delete(manifestPath(directory), false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete manifest " + manifestPath(directory), e);
    }
  }

  private void deleteStale(Set<String> current) {
    Path root = new Path(table.root(), DIRECTORY);
    try {
      if (!table.fs().exists(root)) {
        return;
      }
      String prefix = table.fs().makeQualified(root).toUri().getPath() + "/";
      RemoteIterator<LocatedFileStatus> it = table.fs().listFiles(root, true);
      List<Path> stale = new ArrayList<>();
      while (it.hasNext()) {
        FileStatus f = it.next();
        if (!f.getPath().getName().equals("manifest")) {
          continue;
        }
        String path = f.getPath().toUri().getPath();
        String directory = path.substring(prefix.length(), path.length() - "manifest".length());
        if (!current.contains(directory)) {
          stale.add(f.getPath());
        }
      }
      for (Path p : stale) {
        table.fs().delete(p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean manifests under " + root, e);
    }
  }

  /** The manifests on storage, partition directory to listed paths; for tests and the CLI. */
  public Map<String, List<String>> read() {
    Path root = new Path(table.root(), DIRECTORY);
    Map<String, List<String>> result = new LinkedHashMap<>();
    try {
      if (!table.fs().exists(root)) {
        return result;
      }
      String prefix = table.fs().makeQualified(root).toUri().getPath() + "/";
      RemoteIterator<LocatedFileStatus> it = table.fs().listFiles(root, true);
      while (it.hasNext()) {
        FileStatus f = it.next();
        if (!f.getPath().getName().equals("manifest")) {
          continue;
        }
        String path = f.getPath().toUri().getPath();
        String directory = path.substring(prefix.length(), path.length() - "manifest".length());
        try (java.io.InputStream in = table.fs().open(f.getPath())) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          List<String> lines = new ArrayList<>();
          for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
              lines.add(line);
            }
          }
          result.put(directory, lines);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read manifests under " + root, e);
    }
    return result;
  }
}
