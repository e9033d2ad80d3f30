package io.tributary.cdc.silver;

import java.io.IOException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Flink type of {@link SilverRow} streams. Rows carry their (immutable) schema, so copies between
 * chained operators are shallow; across the network the schema is written with every row in a
 * compact form (Flink cannot chain a sink writer to a legacy source, so rows always cross one
 * local exchange).
 */
public final class SilverRowTypeInfo extends TypeInformation<SilverRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<SilverRow> getTypeClass() {
    return SilverRow.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<SilverRow> createSerializer(SerializerConfig config) {
    return new SilverRowSerializer();
  }

  /** @deprecated Flink 1.20 calls {@link #createSerializer(SerializerConfig)}. */
  @Deprecated
  @Override
  public TypeSerializer<SilverRow> createSerializer(ExecutionConfig config) {
    return new SilverRowSerializer();
  }

  @Override
  public String toString() {
    return "SilverRow";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof SilverRowTypeInfo;
  }

  @Override
  public int hashCode() {
    return SilverRowTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof SilverRowTypeInfo;
  }

  /** Lets Flink's type extraction find this type for any function producing {@link SilverRow}. */
  public static final class Factory extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<SilverRow> {
    @Override
    public TypeInformation<SilverRow> createTypeInfo(
        java.lang.reflect.Type t, java.util.Map<String, TypeInformation<?>> genericParameters) {
      return new SilverRowTypeInfo();
    }
  }

}
