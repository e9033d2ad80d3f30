package io.tributary.delta.storage;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A Delta log store for {@code file:} tables whose commits are put-if-absent across threads and
 * processes, so two writers of one table (a job's committer and a compaction, or a zombie) can
 * never both write {@code _delta_log/<version>.json}: the second gets {@link
 * java.nio.file.FileAlreadyExistsException} and Kernel retries on the next version.
 *
 * <p>Why not Kernel's default ({@code HDFSLogStore}): on the local file system its rename checks
 * that the target is absent and then renames, which two writers can both pass, and renames the
 * Hadoop {@code .crc} side file separately; a race left one writer's commit with the other's
 * checksum ("Checksum error" on every later read). Here the commit is written to a temporary file
 * and published with a hard link, which the operating system creates only if the name is free.
 * No {@code .crc} side file is written; Hadoop reads a file without one unchecked.
 *
 * <p>Reads and listings are Hadoop's, as before. Registered for the {@code file} scheme by {@link
 * #LOG_STORE_CONF_KEY} (see {@code DeltaSinkConfig#hadoopConfiguration}).
 */
public class LocalPutIfAbsentLogStore extends HadoopFileSystemLogStore {

  /** The Kernel configuration key naming this store for {@code file:} paths. */
  public static final String LOG_STORE_CONF_KEY = S3ConditionalPutLogStore.logStoreConfKey("file");

  public LocalPutIfAbsentLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    java.nio.file.Path target = localPath(path);
    if (!Files.isDirectory(target.getParent())) {
      throw new java.io.FileNotFoundException("No such directory: " + target.getParent());
    }
    if (!overwrite && taken(target)) {
      // The common lost race fails cheaply, before the actions are read and written out. A
      // writer that passes this check and then loses the link fails the same way below; Kernel
      // rebases either one.
      throw new java.nio.file.FileAlreadyExistsException(path.toString());
    }
    java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8))) {
        while (actions.hasNext()) {
          out.write(actions.next());
          out.write('\n');
        }
      }
      if (overwrite) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // A side file from a Hadoop write of the old content would no longer match.
        Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".crc"));
      } else {
        // Atomic and exclusive: fails with FileAlreadyExistsException if the name is taken.
        Files.createLink(target, temp);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Whether a commit already has the name; a seam for tests of the race past this check. */
  boolean taken(java.nio.file.Path target) {
    return Files.exists(target);
  }

  /**
   * True, as for Kernel's own local store: the answer is about the file system, not this store's
   * writes. Kernel asks it to decide whether other files (log checkpoints) must be written to a
   * temporary name first; on a local disk a file written in place is visible half-written.
   */
  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
    return true;
  }

  private static java.nio.file.Path localPath(Path path) {
    URI uri = path.toUri();
    return java.nio.file.Paths.get(URI.create("file://" + uri.getRawPath()));
  }
}
