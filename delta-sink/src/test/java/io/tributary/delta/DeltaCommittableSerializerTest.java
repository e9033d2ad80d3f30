package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Committables survive the committer's state, including state written by the previous version. */
class DeltaCommittableSerializerTest {
  private static final DataFile FILE =
      new DataFile("file:/t/event_date=2024-06-26/part-0.parquet", Map.of("event_date", "2024-06-26"), 10, 1, 2, "{}");

  @Test
  void roundTripKeepsRunIdAndSchema() throws Exception {
    DeltaCommittable c = new DeltaCommittable("sink", "run-1", 7, List.of(FILE), "{\"type\":\"struct\",\"fields\":[]}");
    DeltaCommittable.Serializer serializer = new DeltaCommittable.Serializer();
    DeltaCommittable back = serializer.deserialize(serializer.getVersion(), serializer.serialize(c));
    assertThat(back.applicationId()).isEqualTo("tributary:sink:run-1");
    assertThat(back.checkpointId()).isEqualTo(7);
    assertThat(back.files()).containsExactly(FILE);
    assertThat(back.schemaJson()).isEqualTo(c.schemaJson());
  }

  @Test
  void stateOfThePreviousVersionKeepsItsApplicationId() throws Exception {
    // Version 1 wrote sink id, Flink job id, checkpoint id and the files.
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeUTF("sink");
    out.writeUTF("0123456789abcdef0123456789abcdef");
    out.writeLong(42);
    DeltaWriteResult.writeFiles(out, List.of(FILE));
    DeltaCommittable restored = new DeltaCommittable.Serializer().deserialize(1, out.getCopyOfBuffer());
    assertThat(restored.applicationId())
        .as("a replay of a committable the previous version committed is still recognized")
        .isEqualTo("tributary:sink:0123456789abcdef0123456789abcdef");
    assertThat(restored.checkpointId()).isEqualTo(42);
    assertThat(restored.files()).containsExactly(FILE);
    assertThat(restored.schemaJson()).isNull();
  }
}
