package io.tributary.cdc.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Recognises Debezium's stand-ins for unchanged TOASTed values ({@code unavailable.value.placeholder},
 * default {@code __debezium_unavailable_value}) in every shape Debezium uses: string, bytes and the
 * array forms. They are never written as data (see {@link ChangeEventConverter}).
 */
public final class ToastPlaceholder {
  public static final String DEFAULT = "__debezium_unavailable_value";

  private final String text;
  private final byte[] bytes;
  private final List<Object> lists = new ArrayList<>();

  public ToastPlaceholder(String placeholder) {
    this.text = placeholder;
    this.bytes = placeholder.getBytes(StandardCharsets.UTF_8);
    List<Integer> ints = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    for (byte b : bytes) {
      ints.add((int) b);
      longs.add((long) b);
    }
    lists.add(Arrays.asList(text));
    lists.add(ints);
    lists.add(longs);
    lists.add(Arrays.asList(UUID.nameUUIDFromBytes(bytes).toString()));
  }

  public String text() {
    return text;
  }

  public boolean matches(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof String) {
      return text.equals(value);
    }
    if (value instanceof byte[]) {
      return Arrays.equals(bytes, (byte[]) value);
    }
    if (value instanceof ByteBuffer) {
      return ByteBuffer.wrap(bytes).equals(((ByteBuffer) value).duplicate());
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      if (list.size() == 1 && list.get(0) instanceof byte[]) {
        return Arrays.equals(bytes, (byte[]) list.get(0));
      }
      return lists.contains(list);
    }
    return false;
  }
}
