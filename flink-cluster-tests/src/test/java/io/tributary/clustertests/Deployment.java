package io.tributary.clustertests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One job as an operator deploys it: which jar, its program arguments, where its tables are, and
 * its life on the cluster so far (current job id, last savepoint).
 */
final class Deployment {
  enum Jar { CDC, EVENTS }

  final String name;
  final Jar jar;
  final List<String> args;
  /** Table name to table path. */
  final Map<String, String> tables;
  /** Hadoop settings to read the tables (S3A for s3a:// tables). */
  final Map<String, String> hadoopConf;
  /** The cdc-job's replication slot, or null. */
  final String slot;
  String jobId;
  String savepoint;

  Deployment(String name, Jar jar, Map<String, String> args, Map<String, String> tables,
      Map<String, String> hadoopConf, String slot) {
    this.name = name;
    this.jar = jar;
    this.args = new ArrayList<>();
    args.forEach((k, v) -> {
      this.args.add("--" + k);
      this.args.add(v);
    });
    this.tables = tables;
    this.hadoopConf = hadoopConf;
    this.slot = slot;
  }

  @Override
  public String toString() {
    return name + (jobId == null ? "" : " (" + jobId + ")");
  }
}
