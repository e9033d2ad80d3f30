package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Utf8#isValid} agrees with the JDK's strict UTF-8 decoder. */
class Utf8Test {

  private static boolean strictDecoderAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void edgeCasesOfTheEncoding() {
    byte[][] cases = {
      bytes(), bytes('a'), "héllo €𝄞".getBytes(StandardCharsets.UTF_8),
      bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xC2, 0x80), bytes(0xDF, 0xBF),        // overlong / smallest 2-byte
      bytes(0xE0, 0x9F, 0xBF), bytes(0xE0, 0xA0, 0x80),                                   // overlong / smallest 3-byte
      bytes(0xED, 0x9F, 0xBF), bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF),          // below / in surrogates
      bytes(0xEF, 0xBF, 0xBF), bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xF0, 0x90, 0x80, 0x80), // overlong / smallest 4-byte
      bytes(0xF4, 0x8F, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF5, 0x80, 0x80, 0x80), // max / above
      bytes(0x80), bytes(0xBF), bytes(0xC2), bytes(0xE2, 0x82), bytes(0xF0, 0x9D, 0x84),  // stray / truncated
      bytes(0xE2, 0x28, 0xA1), bytes(0xC3, 0x28), bytes(0xFF), bytes('a', 0xFE, 'b'),
    };
    for (byte[] c : cases) {
      assertThat(Utf8.isValid(c)).as(java.util.Arrays.toString(c)).isEqualTo(strictDecoderAccepts(c));
    }
  }

  @Test
  void randomBytesAndMutatedTextAgreeWithTheDecoder() {
    SplittableRandom random = new SplittableRandom(7);
    byte[] text = "{\"event_id\":\"ünïcødé €𝄞\",\"page\":\"/日本\"}".getBytes(StandardCharsets.UTF_8);
    int valid = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] b;
      if (i % 3 == 2) {
        // long ASCII runs (the validator's 8-byte steps) with a multi-byte character and a
        // mutated byte at any offset, so sequences straddle the steps' boundaries
        String ascii = "{\"page_url\":\"https://shop.example.com/p/P-2001?q=smart+watch&x=1\"}";
        String[] wide = {"é", "€", "𝄞", "日"};
        int at = random.nextInt(ascii.length());
        String s = ascii.substring(0, at) + wide[random.nextInt(wide.length)] + ascii.substring(at);
        b = s.substring(0, random.nextInt(8, s.length())).getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean()) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
      } else if (i % 3 == 0) {
        b = new byte[random.nextInt(1, 8)];
        for (int k = 0; k < b.length; k++) {
          b[k] = (byte) random.nextInt(256);
        }
      } else {
        b = text.clone();
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      boolean expected = strictDecoderAccepts(b);
      valid += expected ? 1 : 0;
      assertThat(Utf8.isValid(b)).as(java.util.Arrays.toString(b)).isEqualTo(expected);
    }
    assertThat(valid).as("both outcomes are exercised").isBetween(1_000, 199_000);
  }
}
