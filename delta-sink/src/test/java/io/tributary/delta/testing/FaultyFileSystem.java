package io.tributary.delta.testing;

import java.io.IOException;
import java.net.URI;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the {@code faulty:} scheme, failing reads of chosen files the way
 * an object store fails them transiently (throttling, a 403 from a KMS key, a timeout). Register
 * with {@link #SINK_OPTIONS} (Hadoop options of the sink); arm with {@link #failOpen}, and reset
 * with {@link #reset()} after each test.
 */
public final class FaultyFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "faulty";

  /** Delta sink options that make {@code faulty:} paths use this file system and the local log store. */
  public static final java.util.Map<String, String> SINK_OPTIONS =
      java.util.Map.of(
          "hadoop.fs.faulty.impl", FaultyFileSystem.class.getName(),
          "hadoop.fs.faulty.impl.disable.cache", "true",
          "hadoop.io.delta.kernel.logStore.faulty.impl", HookedLogStore.class.getName());

  /** Opening a file whose path matches fails with a transient-looking error. */
  public static volatile Predicate<Path> failOpen = p -> false;

  public static void reset() {
    failOpen = p -> false;
  }

  /** {@code faulty://} URI of a local path. */
  public static String uri(java.nio.file.Path local) {
    return SCHEME + "://" + local.toAbsolutePath();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (failOpen.test(f)) {
      throw new IOException("503 SlowDown: please reduce your request rate (injected) for " + f.getName());
    }
    return super.open(f, bufferSize);
  }
}
