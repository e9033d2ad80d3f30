package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.s3.Bucket;

/** The cdk-nag check is live: an insecure bucket is reported, and fails synth. */
class CdkNagNegativeTest {

  @Test
  void anUnencryptedBucketWithoutTlsPolicyIsAViolation() throws IOException {
    App app = new App(AppProps.builder().outdir(CdkTestSupport.TARGET.resolve("cdk.out-negative").toString()).build());
    Stack stack = new Stack(app, "Insecure");
    Bucket.Builder.create(stack, "Open").build();
    PolicyValidationPluginReport report = AwsSolutionsChecks.Builder.create(app).build().validateScope(app);
    List<String> rules = report.getViolations().stream().map(PolicyViolation::getRuleName).toList();
    assertThat(report.getSuccess()).isFalse();
    assertThat(rules).contains("AwsSolutions-S1", "AwsSolutions-S10");

    Validations.of(app).addPlugins(AwsSolutionsChecks.Builder.create(app).build());
    assertThatThrownBy(app::synth).hasMessageContaining("Validation failed");
    String report2 = Files.readString(CdkTestSupport.TARGET.resolve("cdk.out-negative/validation-report.json"));
    assertThat(report2).contains("AwsSolutions-S10");
  }
}
