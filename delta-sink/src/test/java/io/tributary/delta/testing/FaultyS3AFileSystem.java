package io.tributary.delta.testing;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.impl.OpenFileParameters;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

/**
 * S3A whose reads of chosen objects fail as S3 fails them under load (503 SlowDown), armed by
 * {@link FaultyFileSystem#failOpen}. Register as {@code fs.s3a.impl} with the S3A cache disabled.
 */
public final class FaultyS3AFileSystem extends S3AFileSystem {
  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    fail(f);
    return super.open(f, bufferSize);
  }

  @Override
  public CompletableFuture<FSDataInputStream> openFileWithOptions(Path f, OpenFileParameters parameters)
      throws IOException {
    fail(f);
    return super.openFileWithOptions(f, parameters);
  }

  private static void fail(Path f) throws IOException {
    if (FaultyFileSystem.failOpen.test(f)) {
      throw new IOException("com.amazonaws... 503 SlowDown: Please reduce your request rate (injected) for " + f.getName());
    }
  }
}
