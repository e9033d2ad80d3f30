package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.JobParameters;
import io.tributary.delta.runtime.UserCodeResources;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code flink run cdc-job.jar --postgres.database app --postgres.user cdc --lake.path
 * s3a://lake/silver ...} (or {@code --config job.properties}; on Managed Flink the runtime
 * properties). With {@code --drop-slot} it drops the job's replication slot and exits: run it when
 * retiring a job, or PostgreSQL keeps WAL for the slot forever.
 */
public final class CdcJob {
  private static final Logger LOG = LoggerFactory.getLogger(CdcJob.class);

  private CdcJob() {}

  public static void main(String[] args) throws Exception {
    boolean dropSlot = false;
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      if ("--drop-slot".equals(a)) {
        dropSlot = true;
      } else {
        rest.add(a);
      }
    }
    JobParameters params = JobParameters.load(rest.toArray(new String[0]));
    CdcJobConfig config = CdcJobConfig.from(params);
    if (dropSlot) {
      dropSlot(config);
      return;
    }
    LOG.info("Starting cdc-job with {}", config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CheckpointOptions.apply(params, env);
    try {
      CdcPipeline.addTo(env, config);
    } finally {
      // main() gets no release hook: let go of what checking the tables left in Hadoop.
      UserCodeResources.afterMain();
    }
    env.execute("tributary-cdc-job " + config.database() + " " + config.tables());
  }

  /** Drops the job's slot (the job must be stopped). Returns whether a slot existed. */
  public static boolean dropSlot(CdcJobConfig config) throws Exception {
    try (Connection c = ReplicationAdmin.connect(config)) {
      boolean dropped = ReplicationAdmin.dropSlot(c, config.slotName(), 10_000);
      LOG.info(dropped ? "Dropped replication slot {}" : "No replication slot {}", config.slotName());
      return dropped;
    }
  }
}
