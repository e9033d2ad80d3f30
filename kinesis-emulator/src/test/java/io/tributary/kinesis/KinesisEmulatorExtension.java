package io.tributary.kinesis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link KinesisEmulator} for a test class: started before all its tests,
 * closed (process tree killed) after them. Get it by parameter injection or, when registered with
 * {@code @RegisterExtension static KinesisEmulatorExtension kinesis = new KinesisEmulatorExtension();}, from
 * {@link #emulator()}.
 *
 * <pre>{@code
 * @ExtendWith(KinesisEmulatorExtension.class)
 * class MyTest {
 *   @Test void test(KinesisEmulator kinesis) { kinesis.createStream("s", 1); ... }
 * }
 * }</pre>
 *
 * <p>Other modules use it through this module's test-jar; their surefire configuration should set the system
 * property {@code tributary.kinesis.emulator.dir} to {@code ${project.basedir}/../kinesis-emulator/target/npm}
 * (the relative default {@code ../kinesis-emulator/target/npm} works when tests run from a sibling module).
 */
public class KinesisEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final KinesisEmulator.Builder builder;
  private KinesisEmulator emulator;

  public KinesisEmulatorExtension() {
    this(KinesisEmulator.builder());
  }

  public KinesisEmulatorExtension(KinesisEmulator.Builder builder) {
    this.builder = builder;
  }

  /** The running emulator (between beforeAll and afterAll). */
  public KinesisEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("Kinesis emulator not started (used outside the test class lifecycle?)");
    }
    return emulator;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (emulator == null) {
      emulator = builder.build().start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (emulator != null) {
      try {
        emulator.close();
      } finally {
        emulator = null;
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
      throws ParameterResolutionException {
    return parameterContext.getParameter().getType() == KinesisEmulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
      throws ParameterResolutionException {
    return emulator();
  }
}
