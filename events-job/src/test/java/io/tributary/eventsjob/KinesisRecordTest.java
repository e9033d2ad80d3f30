package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class KinesisRecordTest {
  private final KinesisRecord record =
      new KinesisRecordDeserializer()
          .deserialize("{}".getBytes(StandardCharsets.UTF_8), "pk", "4968", 1_795_342_530_123L, "web-events", "shardId-000000000002");

  @Test
  void keepsPayloadAndOrigin() {
    assertThat(record.getPayload()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(record.sourceFilename()).isEqualTo("kinesis://web-events/shardId-000000000002/4968");
    assertThat(record.getApproximateArrivalMillis()).isEqualTo(1_795_342_530_123L);
  }

  @Test
  void isAFlinkPojoSoItIsNotSerializedWithKryo() throws Exception {
    TypeInformation<KinesisRecord> type = new KinesisRecordDeserializer().getProducedType();
    assertThat(type).isInstanceOf(PojoTypeInfo.class);
    TypeSerializer<KinesisRecord> serializer = type.createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(record, out);
    assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(record);
  }
}
