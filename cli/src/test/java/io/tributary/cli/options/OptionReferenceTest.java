package io.tributary.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/options.md is what {@link OptionReference} generates from the code. */
class OptionReferenceTest {

  private static final Path FILE = Path.of(System.getProperty("tributary.repo.root", ".."), "docs", "options.md");

  @Test
  void theCheckedInReferenceMatchesTheCode() throws Exception {
    assertCurrent(FILE, OptionReference.render());
  }

  @Test
  void theCheckedInKeyListMatchesTheCode() throws Exception {
    assertCurrent(FILE.resolveSibling("options.json"), OptionReference.renderKeys());
  }

  @Test
  void deploysKeyConstantsMatchTheCode() throws Exception {
    assertCurrent(FILE.getParent().resolveSibling(OptionReference.DEPLOY_CONSTANTS), OptionReference.renderDeployConstants());
  }

  private static void assertCurrent(Path file, String generated) throws Exception {
    if (Boolean.getBoolean("tributary.options.write")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    String checkedIn = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(checkedIn)
        .as("%s is out of date with the option classes; regenerate it with\n  %s\n", file.getFileName(),
            OptionReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyOptionHasATypeADescriptionAndItsDefault() {
    String doc = OptionReference.render();
    assertThat(doc).contains("| `lake.path` | String | (none) |")
        .contains("| `checkpoint.interval` | Duration | `30 s` |")
        .contains("| `sink.parquet.compression` | enum (SNAPPY, ZSTD, GZIP, UNCOMPRESSED) | `SNAPPY` |")
        .contains("| `postgres.password` | String | (none) |")
        .doesNotContain("|  |");
  }
}
