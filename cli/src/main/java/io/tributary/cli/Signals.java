package io.tributary.cli;

/**
 * Ctrl-C (SIGINT) and SIGTERM start an orderly shutdown instead of ending the JVM at once: a JVM
 * shutdown hook would run concurrently with Flink's own hooks, which tear the MiniCluster down
 * before the jobs can stop with a savepoint.
 */
final class Signals {
  private Signals() {}

  static void onInterrupt(Runnable action) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
          System.out.println("\n(" + name + " received: shutting down cleanly; press Ctrl-C again to force)");
          action.run();
          // A second signal ends the process right away.
          sun.misc.Signal.handle(new sun.misc.Signal(name), s -> Runtime.getRuntime().halt(130));
        });
      } catch (IllegalArgumentException unsupported) {
        // No such signal on this platform: the default handling stays.
      }
    }
  }
}
