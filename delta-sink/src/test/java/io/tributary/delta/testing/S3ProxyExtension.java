package io.tributary.delta.testing;

import io.tributary.delta.storage.S3ConditionalPutLogStore;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running an in-JVM <a href="https://github.com/gaul/s3proxy">S3Proxy</a> 4.1.0
 * on {@code 127.0.0.1} (free port, plain HTTP) backed by S3Proxy's in-memory "transient" blob
 * store, with one freshly created bucket.
 *
 * <pre>{@code
 * @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();
 * ...
 * Configuration conf = S3.newHadoopConfiguration();   // or S3.hadoopConf() as a Map
 * String table = S3.uri("tables/t1");                  // s3a://<bucket>/tables/t1
 * }</pre>
 *
 * <h2>Why S3Proxy runs in its own class loader</h2>
 *
 * <p>S3Proxy 4.x is built on AWS SDK v2 2.54 (its blob-store SPI uses the SDK's model classes),
 * Jackson 3 (which needs jackson-annotations 2.21+) and Logback, while this module pins AWS SDK
 * 2.29.52 (the version hadoop-aws 3.4.2 is built for) and Jackson 2.15. On one class path S3Proxy
 * fails with {@code NoSuchMethodError: GetObjectResponse.checksumCRC64NVME()} on every HEAD/GET
 * and {@code NoClassDefFoundError: JsonSerializeAs} when built. So the extension loads S3Proxy
 * from its self-contained artifact ({@code org.gaul:s3proxy:4.1.0:jar-with-dependencies}) in a
 * {@link URLClassLoader} whose parent is the platform class loader, and drives it reflectively;
 * nothing of it is visible to the code under test, which talks to it over HTTP only. The jar is
 * found, in this order, from the system property {@value #JAR_PROPERTY}, an entry of the test
 * class path named {@code s3proxy-*-jar-with-dependencies.jar}, or the local Maven repository
 * ({@code maven.repo.local}, else {@code ~/.m2/repository}).
 *
 * <p>Credentials are fixed dummy test values ({@link #ACCESS_KEY}/{@link #SECRET_KEY}) that only
 * exist in this fixture; S3Proxy checks AWS signatures against them. The bucket name is unique per
 * extension instance, so Hadoop's FileSystem cache (keyed by scheme and bucket) never hands one test
 * class an S3A instance that points at another class's (stopped) server. The server is started
 * before all tests of the class and stopped after all of them (nested classes share it).
 *
 * <p>Note: S3Proxy 4.x no longer uses Apache jclouds; "transient" is its own in-memory (jimfs)
 * blob store, which implements {@code If-None-Match: *} on PUT atomically (S3Proxy 3.x and older
 * only emulated it with a HEAD before the PUT, which lets racing writers both win).
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

  /** Dummy access key, valid only against this in-JVM S3Proxy. */
  public static final String ACCESS_KEY = "test-access";

  /** Dummy secret key, valid only against this in-JVM S3Proxy. */
  public static final String SECRET_KEY = "test-secret";

  /** Region the S3A client signs for (S3Proxy does not care). */
  public static final String REGION = "us-east-1";

  /** S3Proxy version whose self-contained jar is looked up in the local Maven repository. */
  public static final String S3PROXY_VERSION = "4.1.0";

  /** System property naming the S3Proxy self-contained jar explicitly. */
  public static final String JAR_PROPERTY = "tributary.s3proxy.jar";

  private final String bucket =
      "tributary-test-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

  private int starts;
  private URLClassLoader loader;
  private Object blobStore;
  private Object proxy;
  private URI endpoint;

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (starts++ > 0) {
      return; // already running for an enclosing class
    }
    try {
      start();
    } catch (Exception | Error e) {
      starts = 0;
      stopQuietly();
      throw e;
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (--starts > 0) {
      return;
    }
    starts = 0;
    // Close (and evict from the FileSystem cache) the S3A instance for our bucket, if any.
    try {
      FileSystem.get(URI.create("s3a://" + bucket + "/"), newHadoopConfiguration()).close();
    } catch (IOException | RuntimeException e) {
      // best effort
    }
    stopQuietly();
  }

  private void start() throws Exception {
    File jar = locateJar();
    loader =
        new URLClassLoader(
            "s3proxy-" + S3PROXY_VERSION,
            new URL[] {jar.toURI().toURL()},
            ClassLoader.getPlatformClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader); // threads S3Proxy/Jetty create inherit it
    try {
      quietLogback();
      blobStore =
          invokeStatic(
              "org.gaul.s3proxy.BlobStores", "create", "transient", new Properties());
      Object builder = invokeStatic("org.gaul.s3proxy.S3Proxy", "builder");
      Class<?> authType = loader.loadClass("org.gaul.s3proxy.auth.AuthenticationType");
      invoke(builder, "blobStore", blobStore);
      invoke(builder, "endpoint", URI.create("http://127.0.0.1:0"));
      invoke(
          builder,
          "awsAuthentication",
          enumConstant(authType, "AWS_V2_OR_V4"),
          ACCESS_KEY,
          SECRET_KEY);
      proxy = invoke(builder, "build");
      invoke(proxy, "start");
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(invoke(proxy, "getState"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + invoke(proxy, "getState"));
        }
        Thread.sleep(10);
      }
      endpoint = URI.create("http://127.0.0.1:" + invoke(proxy, "getPort"));
      invoke(blobStore, "createContainer", bucket);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private void stopQuietly() {
    try {
      if (proxy != null) {
        invoke(proxy, "stop");
      }
    } catch (Exception e) {
      // ignore
    }
    try {
      if (blobStore != null) {
        invoke(blobStore, "close");
      }
    } catch (Exception e) {
      // ignore
    }
    try {
      if (loader != null) {
        loader.close();
      }
    } catch (IOException e) {
      // ignore
    }
    proxy = null;
    blobStore = null;
    loader = null;
    endpoint = null;
  }

  // ---------------------------------------------------------------------------------------------
  // public API
  // ---------------------------------------------------------------------------------------------

  /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public synchronized URI endpoint() {
    if (endpoint == null) {
      throw new IllegalStateException(
          "S3Proxy is not running; register the extension with @RegisterExtension on a static"
              + " field");
    }
    return endpoint;
  }

  /** The bucket created for this extension instance. */
  public String bucket() {
    return bucket;
  }

  /** {@code s3a://<bucket>/<relative>} (leading slashes of {@code relative} are ignored). */
  public String uri(String relative) {
    String rel = relative;
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    return "s3a://" + bucket + "/" + rel;
  }

  /**
   * The Hadoop settings needed to reach the proxy through S3A, plus the registration of {@link
   * S3ConditionalPutLogStore} for {@code s3a://} and {@code s3://} in Delta Kernel.
   */
  public Map<String, String> hadoopConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.put("fs.s3a.endpoint", endpoint().toString());
    conf.put("fs.s3a.endpoint.region", REGION);
    conf.put("fs.s3a.path.style.access", "true");
    conf.put("fs.s3a.connection.ssl.enabled", "false");
    conf.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.put("fs.s3a.access.key", ACCESS_KEY);
    conf.put("fs.s3a.secret.key", SECRET_KEY);
    // S3A's default; stated explicitly because the LogStore depends on it.
    conf.put(S3ConditionalPutLogStore.S3A_CONDITIONAL_CREATE_ENABLED, "true");
    // Test-only: fail fast instead of S3A's minutes of retries/backoff against a local server.
    conf.put("fs.s3a.attempts.maximum", "2");
    conf.put("fs.s3a.retry.limit", "2");
    conf.put("fs.s3a.retry.interval", "50ms");
    conf.put("fs.s3a.retry.throttle.limit", "2");
    conf.put("fs.s3a.retry.throttle.interval", "50ms");
    conf.putAll(S3ConditionalPutLogStore.logStoreConf());
    return Collections.unmodifiableMap(conf);
  }

  /** A new Hadoop {@link Configuration} (with defaults) carrying {@link #hadoopConf()}. */
  public Configuration newHadoopConfiguration() {
    Configuration conf = new Configuration();
    hadoopConf().forEach(conf::set);
    return conf;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------

  static File locateJar() {
    List<String> tried = new ArrayList<>();
    String explicit = System.getProperty(JAR_PROPERTY);
    if (explicit != null && !explicit.isEmpty()) {
      File f = new File(explicit);
      if (f.isFile()) {
        return f;
      }
      tried.add(JAR_PROPERTY + "=" + explicit);
    }
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.startsWith("s3proxy-") && name.endsWith("-jar-with-dependencies.jar")) {
        return new File(entry);
      }
    }
    tried.add("test class path");
    String repo = System.getProperty("maven.repo.local");
    Path repoDir =
        repo != null && !repo.isEmpty()
            ? Paths.get(repo)
            : Paths.get(System.getProperty("user.home"), ".m2", "repository");
    Path jar =
        repoDir.resolve(
            Paths.get(
                "org",
                "gaul",
                "s3proxy",
                S3PROXY_VERSION,
                "s3proxy-" + S3PROXY_VERSION + "-jar-with-dependencies.jar"));
    if (Files.isRegularFile(jar)) {
      return jar.toFile();
    }
    tried.add(jar.toString());
    throw new IllegalStateException(
        "Cannot find the S3Proxy self-contained jar (org.gaul:s3proxy:"
            + S3PROXY_VERSION
            + ":jar-with-dependencies); tried "
            + tried
            + ". Let Maven resolve it (test dependency with that classifier) or set -D"
            + JAR_PROPERTY
            + "=<path>.");
  }

  /** S3Proxy's Logback would log at DEBUG without a configuration: keep it at WARN. */
  private void quietLogback() {
    try {
      Class<?> factory = loader.loadClass("org.slf4j.LoggerFactory");
      Object root = factory.getMethod("getLogger", String.class).invoke(null, "ROOT");
      Class<?> level = loader.loadClass("ch.qos.logback.classic.Level");
      Object warn = level.getField("WARN").get(null);
      root.getClass().getMethod("setLevel", level).invoke(root, warn);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not Logback (or a different version): leave logging as it is
    }
  }

  private Object invokeStatic(String className, String method, Object... args) throws Exception {
    Class<?> type = loader.loadClass(className);
    return call(type, null, method, args);
  }

  private static Object invoke(Object target, String method, Object... args) throws Exception {
    return call(target.getClass(), target, method, args);
  }

  private static Object call(Class<?> type, Object target, String name, Object... args)
      throws Exception {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && accepts(m.getParameterTypes(), args)) {
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception) {
            throw (Exception) cause;
          }
          if (cause instanceof Error) {
            throw (Error) cause;
          }
          throw e;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + " for " + args.length + " args");
  }

  private static boolean accepts(Class<?>[] params, Object[] args) {
    if (params.length != args.length) {
      return false;
    }
    for (int i = 0; i < params.length; i++) {
      if (args[i] != null && !params[i].isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumConstant(Class<?> enumType, String name) {
    return Enum.valueOf((Class) enumType, name);
  }
}
