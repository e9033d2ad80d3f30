package io.tributary.delta;

import io.tributary.delta.log.DeltaLog;
import io.tributary.delta.log.PostCommitHooks;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.maintenance.SymlinkManifests;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a landed commit of the sink: Kernel's hooks (log checkpoint, checksum) and, when
 * enabled, the Spectrum manifests of the partitions the commit touched. Nothing here fails the
 * commit: failures are logged with the command that repairs them.
 */
final class PostCommitWork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostCommitWork.class);

  private final DeltaSinkConfig config;
  private final DeltaLog log;
  private final PostCommitHooks hooks;
  private SymlinkManifests manifests;

  PostCommitWork(DeltaSinkConfig config, DeltaLog log) {
    this.config = config;
    this.log = log;
    this.hooks = new PostCommitHooks(log);
  }

  void after(DeltaCommittable c, DeltaLog.Committed committed) {
    hooks.run(committed.version(), committed.hooks());
    updateManifests(c);
  }

  private void updateManifests(DeltaCommittable c) {
    if (!config.manifestEnabled()) {
      return;
    }
    Set<Map<String, String>> partitions = new HashSet<>();
    c.files().forEach(f -> partitions.add(f.partitionValues()));
    try {
      if (manifests == null) {
        manifests = new SymlinkManifests(MaintainedTable.forSink(config, log.hadoopConf(), log.engine()));
      }
      manifests.update(partitions);
    } catch (RuntimeException e) {
      LOG.warn("Could not update the symlink manifests of {} after {} (run `tributary maintain manifest`)", config.tablePath(), c, e);
    }
  }

  @Override
  public void close() {
    hooks.close();
  }
}
