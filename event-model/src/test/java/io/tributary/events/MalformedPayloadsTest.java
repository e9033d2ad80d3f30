package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MalformedPayloadsTest {

  @Test
  void everyVariantIsRejectedWithItsTaggedReasonAndField() {
    WebEventParser parser = new WebEventParser();
    List<MalformedPayload> all = new MalformedPayloads(11).oneOfEach();
    Set<RejectReason> covered = EnumSet.noneOf(RejectReason.class);
    for (MalformedPayload p : all) {
      ParseResult r = parser.parse(p.getPayload());
      assertThat(r.isAccepted()).as("%s", p).isFalse();
      assertThat(r.getRejection().getReason()).as("%s -> %s", p, r).isEqualTo(p.getExpectedReason());
      assertThat(r.getRejection().getField()).as("%s -> %s", p, r).isEqualTo(p.getExpectedField());
      if (p.getExpectedField() != null) {
        assertThat(r.getRejection().getDetail()).startsWith(p.getExpectedField() + ": ");
      }
      covered.add(p.getExpectedReason());
    }
    assertThat(covered).containsExactlyInAnyOrderElementsOf(
        java.util.Arrays.stream(RejectReason.values()).filter(RejectReason::isParserReason).collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void randomStreamIsRejectedAsTagged() {
    WebEventParser parser = new WebEventParser();
    MalformedPayloads gen = new MalformedPayloads(12);
    for (int i = 0; i < 2000; i++) {
      MalformedPayload p = gen.next();
      assertThat(parser.parse(p.getPayload()).getRejection().getReason()).as("%s", p).isEqualTo(p.getExpectedReason());
    }
  }

  @Test
  void respectsACustomSizeLimit() {
    WebEventParser parser = new WebEventParser(2048);
    MalformedPayloads gen = new MalformedPayloads(13, Instant.parse("2026-01-01T00:00:00Z"), 2048);
    for (MalformedPayload p : gen.oneOfEach()) {
      assertThat(parser.parse(p.getPayload()).getRejection().getReason()).as("%s", p).isEqualTo(p.getExpectedReason());
    }
  }

  @Test
  void isDeterministic() {
    List<MalformedPayload> a = new MalformedPayloads(5).oneOfEach();
    List<MalformedPayload> b = new MalformedPayloads(5).oneOfEach();
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).getKind()).isEqualTo(b.get(i).getKind());
      assertThat(a.get(i).getPayload()).isEqualTo(b.get(i).getPayload());
    }
    MalformedPayloads x = new MalformedPayloads(6);
    MalformedPayloads y = new MalformedPayloads(6);
    for (int i = 0; i < 200; i++) {
      MalformedPayload p = x.next();
      MalformedPayload q = y.next();
      assertThat(p.getKind()).isEqualTo(q.getKind());
      assertThat(p.getPayload()).isEqualTo(q.getPayload());
    }
    assertThat(new MalformedPayloads(5).kinds()).doesNotHaveDuplicates().hasSize(a.size());
  }
}
