package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every FlinkDeployment, rendered per overlay, against the operator's CRD schema (strict). */
class FlinkDeploymentManifestsTest {

  static final Path K8S = Path.of(System.getProperty("tributary.k8s.dir", "."));
  static final List<String> ENVIRONMENTS = List.of("develop", "staging", "production");
  static CrdSchema schema;

  @BeforeAll
  static void loadSchema() {
    schema = CrdSchema.flinkDeploymentV1beta1();
  }

  @Test
  void theCrdSchemaIsMadeStrict() {
    // Spec, job, resources, pod template... hundreds of object schemas list their properties.
    assertThat(schema.strictObjects()).isGreaterThan(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"develop", "staging", "production"})
  void everyRenderedOverlayIsValidAgainstTheCrd(String env) throws IOException {
    List<ObjectNode> rendered = Kustomize.render(K8S.resolve("overlays").resolve(env));
    List<ObjectNode> deployments = rendered.stream()
        .filter(m -> m.path("kind").asText().equals("FlinkDeployment")).toList();
    assertThat(deployments).extracting(m -> m.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("tributary-events-job", "tributary-cdc-job");
    for (ObjectNode d : deployments) {
      assertThat(errors(d)).as(env + " " + Kustomize.id(d)).isEmpty();
      assertThat(d.path("metadata").path("namespace").asText()).isEqualTo("tributary-" + env);
      JsonNode spec = d.path("spec");
      assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
      assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
      assertThat(spec.path("serviceAccount").asText()).isEqualTo("tributary-flink");
      assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
      JsonNode conf = spec.path("flinkConfiguration");
      String job = d.path("metadata").path("name").asText().substring("tributary-".length());
      String artifacts = "s3://tributary-" + env + "-artifacts-111122223333/flink/";
      assertThat(conf.path("state.checkpoints.dir").asText()).isEqualTo(artifacts + "checkpoints/" + job);
      assertThat(conf.path("state.savepoints.dir").asText()).isEqualTo(artifacts + "savepoints/" + job);
      assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
      assertThat(conf.path("high-availability.storageDir").asText()).isEqualTo(artifacts + "ha/" + job);
      assertThat(conf.path("env.java.opts.all").asText()).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
      assertThat(spec.path("taskManager").path("resource").path("memory").asText()).matches("[0-9]+m");
      assertThat(spec.path("job").path("args").size()).isGreaterThan(4);
    }
    JsonNode sa = rendered.stream().filter(m -> m.path("kind").asText().equals("ServiceAccount")).findFirst()
        .orElseThrow();
    assertThat(sa.path("metadata").path("annotations").path("eks.amazonaws.com/role-arn").asText())
        .isEqualTo("arn:aws:iam::111122223333:role/tributary-flink-" + env);
  }

  @Test
  void overlaysChangeWhatDiffersPerEnvironmentAndKeepTheBase() throws IOException {
    ObjectNode dev = deployment("develop", "tributary-events-job");
    ObjectNode prod = deployment("production", "tributary-events-job");
    assertThat(dev.path("spec").path("jobManager").path("replicas").asInt()).isEqualTo(1);
    assertThat(prod.path("spec").path("jobManager").path("replicas").asInt()).isEqualTo(2);
    assertThat(prod.path("spec").path("jobManager").path("resource").path("memory").asText()).isEqualTo("2048m");
    assertThat(prod.path("spec").path("taskManager").path("resource").path("memory").asText()).isEqualTo("8192m");
    // Base keys the overlay does not touch survive the merge.
    assertThat(prod.path("spec").path("flinkConfiguration").path("state.backend.type").asText()).isEqualTo("rocksdb");
    assertThat(prod.path("spec").path("job").path("entryClass").asText()).isEqualTo("io.tributary.eventsjob.EventsJob");
    assertThat(deployment("staging", "tributary-cdc-job").path("spec").path("job").path("entryClass").asText())
        .isEqualTo("io.tributary.cdc.CdcJob");
  }

  @Test
  void everyBaseFileIsValidOnItsOwn() throws IOException {
    try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (ObjectNode m : Kustomize.readAll(f)) {
          if (m.path("kind").asText().equals("FlinkDeployment")) {
            assertThat(errors(m)).as(f.toString()).isEmpty();
          }
        }
      }
    }
  }

  @Test
  void jobArgumentsAreTheJobsConfigurationKeys() throws IOException {
    AcceptedKeys events = AcceptedKeys.of("events-job");
    AcceptedKeys cdc = AcceptedKeys.of("cdc-job");
    for (String env : ENVIRONMENTS) {
      Map<String, String> e = args(deployment(env, "tributary-events-job"));
      Map<String, String> c = args(deployment(env, "tributary-cdc-job"));
      assertThat(e).containsKeys("kinesis.stream", "lake.path");
      assertThat(c).containsKeys("postgres.host", "postgres.database", "postgres.user",
          "postgres.password.secret-id", "lake.path");
      e.keySet().forEach(k -> assertThat(events.accepts(k)).as("events-job --" + k).isTrue());
      c.keySet().forEach(k -> assertThat(cdc.accepts(k)).as("cdc-job --" + k).isTrue());
    }
  }

  // ------------------------------------------------------------------ S3 credentials of the checkpoint file system

  @ParameterizedTest
  @ValueSource(strings = {"develop", "staging", "production"})
  void theCheckpointFileSystemFindsIrsaAndRoleCredentials(String env) throws Exception {
    Path plugin = Path.of(System.getProperty("tributary.flink.s3.plugin", "target/flink-plugins/flink-s3-fs-hadoop.jar"));
    assertThat(plugin).isRegularFile();
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {plugin.toUri().toURL()}, null)) {
      Class<?> providerType = loader.loadClass("com.amazonaws.auth.AWSCredentialsProvider");
      for (String name : List.of("tributary-events-job", "tributary-cdc-job")) {
        String chain = deployment(env, name).path("spec").path("flinkConfiguration")
            .path("fs.s3a.aws.credentials.provider").asText();
        List<String> providers = List.of(chain.split(","));
        assertThat(providers).as(env + " " + name).contains(
            "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
            "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider");
        for (String provider : providers) {
          // The plugin relocates nothing (shading prefix ""): the names are the classes S3A loads.
          assertThat(providerType.isAssignableFrom(loader.loadClass(provider.trim()))).as(provider).isTrue();
        }
      }
    }
  }

  // ------------------------------------------------------------------ RBAC of the service account

  /**
   * What Flink 1.20's JobManager does with the API (apiGroup/resource: verbs): the native
   * Kubernetes resource manager creates, watches and deletes TaskManager pods owned by the
   * JobManager deployment (an owner reference with blockOwnerDeletion needs update on
   * deployments/finalizers), creates services and deletes its deployment at the end; Kubernetes
   * HA elects leaders and stores checkpoint pointers in config maps.
   */
  static final Map<String, List<String>> REQUIRED = Map.of(
      "/pods", List.of("get", "list", "watch", "create", "delete"),
      "/services", List.of("get", "create", "delete"),
      "/configmaps", List.of("get", "list", "watch", "create", "update", "patch", "delete"),
      "apps/deployments", List.of("get", "list", "watch", "delete"),
      "apps/deployments/finalizers", List.of("update"));

  @ParameterizedTest
  @ValueSource(strings = {"develop", "staging", "production"})
  void theServiceAccountMayDoWhatNativeKubernetesAndKubernetesHaNeed(String env) throws IOException {
    List<ObjectNode> rendered = Kustomize.render(K8S.resolve("overlays").resolve(env));
    assertThat(missingPermissions(rendered, "tributary-" + env, "tributary-flink")).as(env).isEmpty();
  }

  @Test
  void thePermissionCheckFindsWhatIsMissing() throws IOException {
    List<ObjectNode> rendered = new ArrayList<>(Kustomize.render(K8S.resolve("overlays").resolve("develop")));
    // Bound to another namespace's account: nothing is granted.
    assertThat(missingPermissions(rendered, "tributary-develop", "other")).contains("/pods:create",
        "/configmaps:update", "apps/deployments/finalizers:update");
    // A role without config maps (no Kubernetes HA).
    for (ObjectNode m : rendered) {
      if (m.path("kind").asText().equals("Role")) {
        ((ObjectNode) m.path("rules").get(0)).putArray("resources").add("pods").add("services");
      }
    }
    assertThat(missingPermissions(rendered, "tributary-develop", "tributary-flink"))
        .containsExactlyInAnyOrder("/configmaps:get", "/configmaps:list", "/configmaps:watch", "/configmaps:create",
            "/configmaps:update", "/configmaps:patch", "/configmaps:delete");
  }

  /** Required permissions ("group/resource:verb") not granted to the account by a Role bound in its namespace. */
  static Set<String> missingPermissions(List<ObjectNode> manifests, String namespace, String account) {
    Set<String> granted = new TreeSet<>();
    for (ObjectNode binding : manifests) {
      if (!binding.path("kind").asText().equals("RoleBinding")
          || !binding.path("metadata").path("namespace").asText().equals(namespace)) {
        continue;
      }
      boolean boundToAccount = Kustomize.elements(binding.path("subjects")).stream().anyMatch(s ->
          s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(account)
              && s.path("namespace").asText().equals(namespace));
      if (!boundToAccount || !binding.path("roleRef").path("kind").asText().equals("Role")) {
        continue;
      }
      String roleName = binding.path("roleRef").path("name").asText();
      for (ObjectNode role : manifests) {
        if (!role.path("kind").asText().equals("Role") || !role.path("metadata").path("name").asText().equals(roleName)
            || !role.path("metadata").path("namespace").asText().equals(namespace)) {
          continue;
        }
        for (JsonNode rule : role.path("rules")) {
          for (JsonNode group : rule.path("apiGroups")) {
            for (JsonNode resource : rule.path("resources")) {
              for (JsonNode verb : rule.path("verbs")) {
                granted.add(group.asText() + "/" + resource.asText() + ":" + verb.asText());
              }
            }
          }
        }
      }
    }
    Set<String> missing = new TreeSet<>();
    REQUIRED.forEach((resource, verbs) -> verbs.stream().map(v -> resource + ":" + v)
        .filter(p -> !granted.contains(p) && !granted.contains(resource + ":*")).forEach(missing::add));
    return missing;
  }

  // ------------------------------------------------------------------ the validator really rejects

  @Test
  void anUnknownFieldIsRejected() throws IOException {
    ObjectNode d = deployment("develop", "tributary-events-job");
    ((ObjectNode) d.path("spec").path("job")).put("upgradMode", "savepoint");
    assertThat(errors(d)).anyMatch(m -> m.contains("upgradMode"));
    ObjectNode top = deployment("develop", "tributary-events-job");
    ((ObjectNode) top.path("spec")).put("flinkVersions", "v1_20");
    assertThat(errors(top)).anyMatch(m -> m.contains("flinkVersions"));
  }

  @Test
  void anUnknownFieldInsideThePodTemplateIsRejected() throws IOException {
    ObjectNode d = deployment("develop", "tributary-events-job");
    ObjectNode container = (ObjectNode) d.path("spec").path("podTemplate").path("spec").path("containers").get(0);
    container.put("imagePolicy", "Always");
    assertThat(errors(d)).anyMatch(m -> m.contains("imagePolicy"));
  }

  @Test
  void wrongValuesAreRejected() throws IOException {
    ObjectNode d = deployment("develop", "tributary-events-job");
    ((ObjectNode) d.path("spec")).put("flinkVersion", "v1_99");
    ((ObjectNode) d.path("spec").path("job")).put("parallelism", "two");
    List<String> errors = errors(d);
    assertThat(errors).anyMatch(m -> m.contains("flinkVersion"));
    assertThat(errors).anyMatch(m -> m.contains("parallelism"));
  }

  @Test
  void aBrokenManifestFileFailsValidation() throws IOException {
    Path broken = Path.of(System.getProperty("tributary.k8s.dir", "."), "src/test/resources/broken/unknown-field.yaml");
    List<ObjectNode> docs = Kustomize.readAll(broken);
    assertThat(docs).hasSize(1);
    assertThat(errors(docs.get(0))).anyMatch(m -> m.contains("savepointInterval"));
  }

  @Test
  void theRendererRejectsKustomizeFeaturesItDoesNotImplement(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nnamePrefix: x-\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("namePrefix");
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\npatches:\n  - path: p.yaml\n");
    Files.writeString(dir.resolve("p.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: nope\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("matches no resource");
  }

  private static ObjectNode deployment(String env, String name) throws IOException {
    return Kustomize.render(K8S.resolve("overlays").resolve(env)).stream()
        .filter(m -> m.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> errors(JsonNode manifest) {
    List<String> result = new ArrayList<>();
    for (ValidationMessage m : schema.validate(manifest)) {
      result.add(m.getMessage());
    }
    return result;
  }

  private static Map<String, String> args(JsonNode deployment) {
    Map<String, String> result = new TreeMap<>();
    JsonNode args = deployment.path("spec").path("job").path("args");
    for (int i = 0; i < args.size(); i += 2) {
      String key = args.get(i).asText();
      assertThat(key).startsWith("--");
      result.put(key.substring(2), args.get(i + 1).asText());
    }
    return result;
  }
}
