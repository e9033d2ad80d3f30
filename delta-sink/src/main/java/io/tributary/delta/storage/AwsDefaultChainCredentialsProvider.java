package io.tributary.delta.storage;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK's default credential chain (system properties, environment, web identity, profiles,
 * container endpoint, instance profile) as an S3A credential provider, one instance per S3A file
 * system and closed with it.
 *
 * <p>Why not the SDK's providers one by one in {@code fs.s3a.aws.credentials.provider}: S3A's list
 * moves on only after SDK exceptions, but an unconfigured web-identity provider throws an
 * IllegalStateException, which would end the chain before the container or instance role (Managed
 * Flink, EMR). The SDK's own chain tries the next provider after any failure. Why not {@code
 * DefaultCredentialsProvider.create()}: that is a JVM-wide shared instance; this one lives and dies
 * with the file system (no state outlives the job's class loader).
 */
public final class AwsDefaultChainCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

  private final DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();

  /** Called by S3A through reflection. */
  public static AwsDefaultChainCredentialsProvider create() {
    return new AwsDefaultChainCredentialsProvider();
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return chain.resolveCredentials();
  }

  @Override
  public void close() {
    chain.close();
  }

  @Override
  public String toString() {
    return "AwsDefaultChainCredentialsProvider(" + chain + ")";
  }
}
