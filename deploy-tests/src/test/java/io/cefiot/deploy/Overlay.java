package io.cefiot.deploy;

import io.cefiot.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** One kustomize overlay of k3s-manifests/, built with {@code kubectl kustomize} as an operator would apply it. */
record Overlay(String name, List<Map<String, Object>> objects) {

    static final List<String> ALL = List.of("edge", "cloud", "edge-deployments", "cloud-deployments");

    static Path root() {
        return Path.of(System.getProperty("cefiot.root", "..")).toAbsolutePath().normalize();
    }

    static Path manifests() {
        return root().resolve("k3s-manifests");
    }

    @SuppressWarnings("unchecked")
    static Overlay build(String name) throws IOException, InterruptedException {
        Path dir = manifests().resolve("overlays").resolve(name);
        Process kubectl;
        try {
            Path tool = Requires.tool("kubectl", "Building the k3s overlays (kubectl kustomize)",
                    "kubectl 1.21 or later, whose kustomize is v4; Debian 12's kubernetes-client is 1.20");
            kubectl = new ProcessBuilder(tool.toString(), "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to build the overlays (kubectl kustomize): " + e.getMessage(), e);
        }
        String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed: " + errors);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new Overlay(name, objects);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(metadata(o).get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(this.name + " has no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
