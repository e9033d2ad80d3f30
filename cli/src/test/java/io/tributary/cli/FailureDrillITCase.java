package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.local.FailureDrill;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The CI-sized kill -9 drill: three SIGKILLs of the local platform, PostgreSQL restarted during run 2 and the Kinesis
 * emulator during run 3 (each followed by new commits in both silver tables before the kill), then exactly once,
 * checked against ground truth.
 */
// Mostly waits: runs beside the module's other test classes (see the root pom's surefire settings).
@Execution(ExecutionMode.CONCURRENT)
class FailureDrillITCase {
  @TempDir Path dir;

  @Test
  void threeKillsAndRestartsLoseAndDuplicateNothing() throws Exception {
    FailureDrill.Result r = new FailureDrill(dir, 3, Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(12), 3,
        2, 3, System.out).run();
    assertThat(r.postgresRestarts).as("PostgreSQL restarts").isEqualTo(1);
    assertThat(r.kinesisRestarts).as("Kinesis emulator restarts").isEqualTo(1);
    // The last run resumed from the killed run's checkpoint and also committed what that run left uncommitted.
    assertThat(r.lastRunExitStatus).as("exit status of the last, cleanly stopped run").isZero();
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
