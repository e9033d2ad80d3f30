package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ./mvnw} command of README.md, docs/*.md and the module READMEs (and every short form
 * of a {@code <!-- runnable: ./mvnw ... -->} mark) builds what it runs: a command that selects a
 * module with {@code -pl} or {@code -f} also builds the Tributary modules it depends on
 * ({@code -am}; nothing is ever installed, so without it Maven takes them from the local
 * repository: missing on a fresh machine and in CI, stale elsewhere). A command that activates a
 * profile runs what it says and nothing else: each named profile exists in a module the command
 * selects, and no module that {@code -am} adds to the reactor has a profile of the same id (a
 * {@code -Pbench} that also starts another module's benchmark with the first one's arguments).
 */
class DocumentedCommandsTest {

  static final Path ROOT = Path.of(System.getProperty("tributary.repo.root", "..")).toAbsolutePath().normalize();

  /** Module directory to its tributary dependencies (module directories) and profile ids. */
  record Module(Set<String> dependencies, Set<String> profiles) {}

  static Map<String, Module> modules() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    Map<String, String> dirByArtifact = new TreeMap<>();
    Map<String, String> poms = new TreeMap<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    while (m.find()) {
      String dir = m.group(1);
      String pom = Files.readString(ROOT.resolve(dir).resolve("pom.xml"));
      poms.put(dir, pom);
      String afterParent = pom.substring(pom.indexOf("</parent>"));
      Matcher id = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(afterParent);
      assertThat(id.find()).isTrue();
      dirByArtifact.put(id.group(1), dir);
    }
    Map<String, Module> result = new TreeMap<>();
    poms.forEach((dir, pom) -> {
      Set<String> deps = new TreeSet<>();
      Matcher dep = Pattern.compile(
          "<dependency>\\s*(?:<!--.*?-->\\s*)*<groupId>io\\.tributary</groupId>\\s*<artifactId>([^<]+)</artifactId>",
          Pattern.DOTALL).matcher(pom);
      while (dep.find()) {
        String d = dirByArtifact.get(dep.group(1));
        if (d != null && !d.equals(dir)) {
          deps.add(d);
        }
      }
      Set<String> profiles = new TreeSet<>();
      Matcher profile = Pattern.compile("<profile>\\s*(?:<!--.*?-->\\s*)*<id>([^<]+)</id>", Pattern.DOTALL).matcher(pom);
      while (profile.find()) {
        profiles.add(profile.group(1));
      }
      result.put(dir, new Module(deps, profiles));
    });
    return result;
  }

  /** README.md, docs/*.md and the module READMEs. */
  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    try (Stream<Path> dirs = Files.list(ROOT)) {
      dirs.map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The documented ./mvnw commands (and runnable short forms), continuation lines joined. */
  static List<String> documentedCommands() throws IOException {
    List<String> commands = new ArrayList<>();
    Pattern shortForm = Pattern.compile("^<!--\\s*runnable:\\s*(\\./mvnw .+?)\\s*-->$");
    for (Path doc : documents()) {
      List<String> lines = Files.readAllLines(doc);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        Matcher mark = shortForm.matcher(line);
        if (mark.matches()) {
          commands.add(mark.group(1));
          continue;
        }
        if (!line.startsWith("./mvnw ")) {
          continue;
        }
        StringBuilder command = new StringBuilder();
        while (line.endsWith("\\") && i + 1 < lines.size()) {
          command.append(line, 0, line.length() - 1).append(' ');
          line = lines.get(++i).trim();
        }
        commands.add(command.append(line).toString());
      }
    }
    return commands;
  }

  /**
   * Problems of one command: a selected module whose Tributary dependencies are neither selected nor
   * built by -am, a profile no selected module has, or one that -am pulls in elsewhere.
   */
  static List<String> problems(String command, Map<String, Module> modules) {
    List<String> tokens = List.of(command.split("\\s+"));
    Set<String> selected = new LinkedHashSet<>();
    Set<String> profiles = new LinkedHashSet<>();
    boolean alsoMake = false;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if ((t.equals("-pl") || t.equals("--projects")) && i + 1 < tokens.size()) {
        selected.addAll(List.of(tokens.get(++i).split(",")));
      } else if (t.equals("-f") && i + 1 < tokens.size()) {
        selected.add(Path.of(tokens.get(++i)).getParent().toString());
      } else if (t.equals("-am") || t.equals("--also-make")) {
        alsoMake = true;
      } else if (t.startsWith("-P") && t.length() > 2) {
        profiles.addAll(List.of(t.substring(2).split(",")));
      }
    }
    List<String> problems = new ArrayList<>();
    if (!alsoMake) {
      for (String s : selected) {
        Module module = modules.get(s);
        Set<String> missing = new TreeSet<>(module == null ? Set.of() : module.dependencies());
        missing.removeAll(selected);
        if (!missing.isEmpty()) {
          problems.add(command + ": " + s + " needs " + missing
              + " from the local repository (never installed: missing in CI, stale elsewhere); add -am");
        }
      }
    }
    if (profiles.isEmpty() || selected.isEmpty()) {
      return problems;
    }
    Set<String> reactor = new TreeSet<>(selected);
    if (alsoMake) {
      List<String> todo = new ArrayList<>(selected);
      while (!todo.isEmpty()) {
        Module module = modules.get(todo.remove(0));
        if (module != null) {
          module.dependencies().stream().filter(reactor::add).forEach(todo::add);
        }
      }
    }
    for (String profile : profiles) {
      if (selected.stream().noneMatch(s -> modules.containsKey(s) && modules.get(s).profiles().contains(profile))) {
        problems.add(command + ": no selected module " + selected + " has profile " + profile);
      }
      for (String other : reactor) {
        if (!selected.contains(other) && modules.get(other).profiles().contains(profile)) {
          problems.add(command + ": -am also builds " + other + ", whose profile " + profile + " runs too");
        }
      }
    }
    return problems;
  }

  @Test
  void everyDocumentedProfileCommandRunsOnlyWhatItNames() throws IOException {
    Map<String, Module> modules = modules();
    List<String> commands = documentedCommands();
    assertThat(commands).anyMatch(c -> c.contains("-pl spark-bench")).anyMatch(c -> c.contains("-pl benchmarks"));
    List<String> problems = new ArrayList<>();
    commands.forEach(c -> problems.addAll(problems(c, modules)));
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckFindsAProfileThatAlsoMakeActivatesElsewhere() throws IOException {
    Map<String, Module> modules = modules();
    // The command docs/benchmarks.md had: spark-bench depends on benchmarks, both had -Pbench.
    assertThat(problems("./mvnw -q -pl spark-bench -am -Pbench package -DskipTests", modules))
        .anyMatch(p -> p.contains("no selected module [spark-bench] has profile bench"))
        .anyMatch(p -> p.contains("-am also builds benchmarks, whose profile bench runs too"));
    assertThat(problems("./mvnw -q -pl benchmarks -am -Pnope package", modules))
        .anyMatch(p -> p.contains("has profile nope"));
  }

  @Test
  void theCheckFindsAModuleBuiltWithoutTheModulesItNeeds() throws IOException {
    Map<String, Module> modules = modules();
    // What docs/benchmarks.md and cdc-job/README.md had: it ran against whatever cdc-job's
    // dependencies an old `install` left in ~/.m2, and failed where nothing was installed (CI).
    assertThat(problems("./mvnw -q -f cdc-job/pom.xml -Pbench verify -DskipTests", modules))
        .anyMatch(p -> p.contains("cdc-job needs [delta-sink, embedded-postgres, job-config]") && p.contains("add -am"));
    assertThat(problems("./mvnw -q -B -ntp -pl producers package -DskipTests", modules))
        .anyMatch(p -> p.contains("producers needs"));
    assertThat(problems("./mvnw -q -pl cdc-job -am -Pbench verify -DskipTests", modules)).isEmpty();
    // deploy and k8s build on no other module.
    assertThat(problems("./mvnw -q -B -ntp -f deploy/pom.xml verify", modules)).isEmpty();
  }

  @Test
  void theModuleReadmesAndTheShortFormsAreChecked() throws IOException {
    assertThat(documentedCommands())
        .anyMatch(c -> c.startsWith("./mvnw -q -B -ntp -pl producers -am verify"))
        .anyMatch(c -> c.startsWith("./mvnw -q -pl cdc-job -am -Pbench verify") && c.contains("--rows 2000"));
  }
}
