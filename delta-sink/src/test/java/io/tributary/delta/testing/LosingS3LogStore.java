package io.tributary.delta.testing;

import io.tributary.delta.storage.S3ConditionalPutLogStore;
import java.io.IOException;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The S3 conditional-put log store, losing the acknowledgement of a PUT that landed when {@link
 * HookedLogStore#loseAcknowledgement} accepts the path (SDK retries exhausted after a PUT the
 * store applied). It stays armed until the predicate says otherwise: the store settles a retry
 * of a landed PUT itself (same content), so only answers lost on every attempt leave the caller
 * without an outcome.
 */
public final class LosingS3LogStore extends S3ConditionalPutLogStore {
  public LosingS3LogStore(Configuration conf) {
    super(conf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    super.write(path, actions, overwrite, hadoopConf);
    if (!overwrite && HookedLogStore.loseAcknowledgement.test(path)) {
      throw new IOException("Unable to execute HTTP request: Read timed out (injected) after PUT " + path.getName());
    }
  }
}
