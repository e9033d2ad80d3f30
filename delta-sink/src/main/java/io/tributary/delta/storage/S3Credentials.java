package io.tributary.delta.storage;

import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The S3A credential provider chain of the sink's Hadoop configuration: one list that finds the
 * credentials of every platform Tributary runs on, without per-environment flags.
 *
 * <p>S3A's default chain (Hadoop 3.4) has no web-identity provider, so on EKS with IRSA the jobs
 * would fall back to the node's role or fail. In order, the first provider that yields credentials
 * wins:
 *
 * <ol>
 *   <li>session and static keys of the Hadoop configuration ({@code fs.s3a.access.key}, ..., used
 *       by tests and by explicit configuration);
 *   <li>the AWS SDK's default chain ({@link AwsDefaultChainCredentialsProvider}): {@code aws.*}
 *       system properties, {@code AWS_*} environment variables, web identity ({@code
 *       AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN}: IRSA on EKS), the shared profiles
 *       (local runs), the container credentials endpoint (Managed Flink's service execution role,
 *       EKS Pod Identity, ECS), the EC2 instance profile (EMR).
 * </ol>
 *
 * <p>An explicit {@code fs.s3a.aws.credentials.provider} (job option {@code
 * hadoop.fs.s3a.aws.credentials.provider}) replaces the chain.
 */
public final class S3Credentials {

  /** The Hadoop key S3A reads its provider list from. */
  public static final String PROVIDER_KEY = "fs.s3a.aws.credentials.provider";

  /**
   * The chain, in order. Class names as strings: naming a class here must not load it, or every
   * sink (local tables too) would need the AWS SDK on its class path.
   */
  public static final List<String> PROVIDERS = List.of(
      "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
      "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
      "io.tributary.delta.storage.AwsDefaultChainCredentialsProvider");

  private S3Credentials() {}

  /** Sets the chain on {@code conf}; call before the user's Hadoop options so that they win. */
  public static void setDefaultChain(Configuration conf) {
    conf.set(PROVIDER_KEY, String.join(",", PROVIDERS));
  }
}
