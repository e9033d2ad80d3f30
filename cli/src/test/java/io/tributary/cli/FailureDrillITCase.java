package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.local.FailureDrill;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI-sized kill -9 drill: three SIGKILLs of the local platform, then exactly once, checked against ground truth. */
class FailureDrillITCase {
  @TempDir Path dir;

  @Test
  void threeKillsLoseAndDuplicateNothing() throws Exception {
    FailureDrill.Result r =
        new FailureDrill(dir, 3, Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(12), 3, System.out).run();
    assertThat(r.orderChanges).as("order changes produced").isGreaterThan(50);
    assertThat(r.validEvents).as("valid events produced").isGreaterThan(200);
    assertThat(r.malformedEvents).as("malformed events produced").isPositive();
    assertThat(r.orderRowsMissing).as("order changes missing from silver").isZero();
    assertThat(r.orderRowsDuplicated).as("order changes duplicated in silver").isZero();
    assertThat(r.eventsMissing).as("events missing").isZero();
    assertThat(r.eventsDuplicated).as("events duplicated").isZero();
    assertThat(r.quarantineMissing).as("malformed records missing from quarantine").isZero();
    assertThat(r.quarantineDuplicated).as("malformed records duplicated in quarantine").isZero();
  }
}
