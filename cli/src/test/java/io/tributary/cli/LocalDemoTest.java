package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.tributary.delta.DeltaTableSummary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDemoTest {
  @TempDir Path lake;

  @Test
  void everyGeneratedEventIsCommittedWhenTheDemoStops() throws Exception {
    LocalDemo.GENERATED.set(0);
    int code =
        LocalDemo.run(
            Options.parse(
                new String[] {"--duration", "6s", "--rate", "300/s", "--lake", lake.toString(), "--checkpoint-interval", "1s"},
                LocalDemo.OPTIONS));
    assertThat(code).isZero();
    DeltaTableSummary s =
        DeltaTableSummary.of(
            DefaultEngine.create(new org.apache.hadoop.conf.Configuration()),
            lake.resolve("silver/demo_events").toString());
    assertThat(LocalDemo.GENERATED.get()).isGreaterThan(300);
    assertThat(s.rows()).isEqualTo(LocalDemo.GENERATED.get());
    assertThat(s.filesWithoutStats()).isZero();
  }

  @Test
  void optionsAreValidated() {
    Options o = Options.parse(new String[] {"--duration=2m", "--rate", "50/s"}, LocalDemo.OPTIONS);
    assertThat(o.duration("duration")).hasMinutes(2);
    assertThat(o.positiveNumber("rate")).isEqualTo(50.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Options.parse(new String[] {"--nope", "1"}, LocalDemo.OPTIONS))
        .isInstanceOf(Options.UsageException.class)
        .hasMessageContaining("unknown option --nope");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Options.parse(new String[] {"--duration", "soon"}, LocalDemo.OPTIONS).duration("duration"))
        .isInstanceOf(Options.UsageException.class)
        .hasMessageContaining("30s, 5m or 1h");
  }
}
