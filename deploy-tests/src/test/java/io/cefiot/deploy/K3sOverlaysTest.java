package io.cefiot.deploy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.IntegrationPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds every overlay with kubectl kustomize and checks what it would apply, offline. */
class K3sOverlaysTest {

    /** The Secrets and the ConfigMap the operator creates; the manifests ship no password, certificate or key. */
    static final Set<String> OPERATOR_SECRETS = Set.of("cefiot-console", "cefiot-cloud-login", "cefiot-kafka-tls");
    static final String OPERATOR_CONFIG_MAP = "cefiot-cloud-ca";

    /** A Raspberry Pi 4 with 4 GB, less k3s's documented server footprint (1.2-1.6 GB, the top taken) and ~0.3 GB for the OS. */
    static final long PI_BUDGET_MIB = 4096 - 1600 - 300;
    /** Room a stage JVM needs over its -Xmx (metaspace, capped at 128 MiB, threads, code cache, direct buffers); an allowance, see k3s-manifests/README.md "Sizing". */
    static final long JVM_OVERHEAD_MIB = 160;

    static Stream<String> overlays() {
        return Overlay.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_object_validates_against_the_kubernetes_and_camel_k_schemas(String name) throws Exception {
        Overlay overlay = Overlay.build(name);
        List<String> problems = new ArrayList<>();
        overlay.objects().forEach(object -> SchemaCheck.check(object, problems));

        assertThat(overlay.objects()).hasSizeGreaterThan(10);
        assertThat(problems).as("schema problems in overlay " + name).isEmpty();
        assertThat(overlay.objects()).allSatisfy(o -> assertThat(Overlay.metadata(o).get("namespace") == null
                || "cefiot".equals(Overlay.metadata(o).get("namespace"))).isTrue());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_pod_refers_only_to_what_the_overlay_defines(String name) throws Exception {
        Overlay overlay = Overlay.build(name);
        String steps = Files.readString(Overlay.root().resolve("k3s-manifests/README.md"));
        // What the operator creates (k3s-manifests/README.md, step 4): no password or certificate ships with the manifests.
        assertThat(OPERATOR_SECRETS).allSatisfy(secret -> assertThat(steps).contains("create secret generic " + secret));
        assertThat(steps).contains("create configmap " + OPERATOR_CONFIG_MAP);
        Set<String> configMaps = new HashSet<>(names(overlay, "ConfigMap"));
        configMaps.add(OPERATOR_CONFIG_MAP);
        Set<String> claims = names(overlay, "PersistentVolumeClaim");
        List<String> problems = new ArrayList<>();
        for (Pod pod : pods(overlay)) {
            Set<String> volumes = new HashSet<>();
            for (Volume volume : pod.spec().getVolumes()) {
                volumes.add(volume.getName());
                if (volume.getConfigMap() != null && !configMaps.contains(volume.getConfigMap().getName())) {
                    problems.add(pod.name() + " mounts a missing ConfigMap " + volume.getConfigMap().getName());
                }
                if (volume.getPersistentVolumeClaim() != null && !claims.contains(volume.getPersistentVolumeClaim().getClaimName())) {
                    problems.add(pod.name() + " mounts a missing claim " + volume.getPersistentVolumeClaim().getClaimName());
                }
                if (volume.getSecret() != null && !OPERATOR_SECRETS.contains(volume.getSecret().getSecretName())) {
                    problems.add(pod.name() + " mounts an undocumented Secret " + volume.getSecret().getSecretName());
                }
            }
            pod.claimTemplates().forEach(c -> volumes.add(c.getMetadata().getName()));
            for (Container container : pod.spec().getContainers()) {
                for (VolumeMount mount : container.getVolumeMounts()) {
                    if (!volumes.contains(mount.getName())) {
                        problems.add(pod.name() + " mounts undeclared volume " + mount.getName());
                    }
                }
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null
                            && !configMaps.contains(env.getValueFrom().getConfigMapKeyRef().getName())) {
                        problems.add(pod.name() + " reads a missing ConfigMap " + env.getValueFrom().getConfigMapKeyRef().getName());
                    }
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                            && !OPERATOR_SECRETS.contains(env.getValueFrom().getSecretKeyRef().getName())) {
                        problems.add(pod.name() + " reads an undocumented Secret " + env.getValueFrom().getSecretKeyRef().getName());
                    }
                    if (env.getName().contains("PASSWORD") && env.getValue() != null) {
                        problems.add(pod.name() + " has a password in its manifest: " + env.getName());
                    }
                }
                // A probe names a port by name or number; either must be one the container opens.
                Set<String> ports = new HashSet<>(container.getPorts().stream().map(ContainerPort::getName).toList());
                container.getPorts().forEach(p -> ports.add(Integer.toString(p.getContainerPort())));
                for (Probe probe : Stream.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())
                        .filter(p -> p != null).toList()) {
                    IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
                    String named = port.getStrVal() != null ? port.getStrVal() : Integer.toString(port.getIntVal());
                    if (!ports.contains(named)) {
                        problems.add(pod.name() + " probes port " + named + ", which its container does not open");
                    }
                }
                if (container.getResources() == null || container.getResources().getLimits().get("memory") == null) {
                    problems.add(pod.name() + " has no memory limit");
                }
            }
        }
        assertThat(pods(overlay)).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void the_edge_runs_three_kafka_nodes_one_per_host_on_local_path_volumes_with_a_disruption_budget() throws Exception {
        Overlay edge = Overlay.build("edge");
        StatefulSet kafka = (StatefulSet) SchemaCheck.typed(edge.named("StatefulSet", "kafka"));
        PodDisruptionBudget budget = (PodDisruptionBudget) SchemaCheck.typed(edge.named("PodDisruptionBudget", "kafka"));

        assertThat(kafka.getSpec().getReplicas()).isEqualTo(3);
        assertThat(kafka.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        assertThat(kafka.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(c -> assertThat(c.getSpec().getStorageClassName()).isEqualTo("local-path"));
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(kafka.getSpec().getSelector().getMatchLabels());
        assertThat(kafka.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("kafka-node", "3");
    }

    @Test
    void an_edge_node_with_kafka_the_camera_and_a_replica_of_every_stage_fits_a_4_gb_raspberry_pi() throws Exception {
        Overlay edge = Overlay.build("edge-deployments");
        List<Pod> pods = pods(edge);
        long worstNode = 0;
        for (Pod pod : pods) {
            Container container = pod.spec().getContainers().get(0);
            long request = mebibytes(container.getResources().getRequests().get("memory"));
            long limit = mebibytes(container.getResources().getLimits().get("memory"));
            // Worst case: one node holds a Kafka node, the camera, both ingest replicas (they share the
            // camera node's spool) and one replica of each other edge stage.
            worstNode += pod.name().equals("cefiot-ingest") ? 2 * request : request;
            long heap = heapMiB(container);
            assertThat(limit).as(pod.name() + ": memory limit over -Xmx " + heap + "m plus JVM overhead").isGreaterThanOrEqualTo(heap + JVM_OVERHEAD_MIB);
        }
        assertThat(pods).extracting(Pod::name).contains("kafka", "cefiot-camera", "cefiot-ingest", "cefiot-enrich", "cefiot-uplink");
        assertThat(worstNode).as("memory requested on the busiest edge node, MiB").isLessThanOrEqualTo(PI_BUDGET_MIB);
    }

    /**
     * Requests and limits against what the stages measured, not what they declare: each stage's
     * most RSS during steady flow with the JVM options its pod ships with (the committed quick run
     * of the flow benchmark, docs/performance/flow-k3s-options), with the stated margins: the
     * request books at least 1.2 times it, the limit is at least 1.5 times it. The flow's camera
     * is the synthetic one, so the camera is left out: the real camera (JavaCV) is measured by
     * ./cefiot bench camera, not by the flow.
     */
    @Test
    void each_stage_requests_and_limits_memory_above_the_rss_it_measured_with_its_pod_options() throws Exception {
        Map<String, Double> measuredMiB = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(Overlay.root().resolve("docs/performance/flow-k3s-options/pipeline.csv"))) {
            // benchmark,scenario,"metric, with a comma",unit,cefiot,...: the figure follows the unit.
            List<String> cells = List.of(line.split(",", -1));
            if (cells.get(0).equals("footprint") && !cells.get(1).startsWith("broker") && !cells.get(1).startsWith("edge node")
                    && !cells.get(1).equals("camera")) {
                String stage = cells.get(1).replaceAll("-[ab]$", "");
                measuredMiB.merge(stage, Double.parseDouble(cells.get(cells.indexOf("MiB") + 1)), Math::max);
            }
        }
        assertThat(measuredMiB).containsOnlyKeys("ingest", "enrich", "uplink", "archive");
        List<Pod> pods = new ArrayList<>(pods(Overlay.build("edge-deployments")));
        pods.addAll(pods(Overlay.build("cloud-deployments")));
        measuredMiB.forEach((stage, rss) -> {
            Container container = pods.stream().filter(p -> p.name().equals("cefiot-" + stage)).findFirst().orElseThrow()
                    .spec().getContainers().get(0);
            assertThat(mebibytes(container.getResources().getRequests().get("memory"))).as(stage + " request over measured " + rss + " MiB")
                    .isGreaterThanOrEqualTo((long) Math.ceil(1.2 * rss));
            assertThat(mebibytes(container.getResources().getLimits().get("memory"))).as(stage + " limit over measured " + rss + " MiB")
                    .isGreaterThanOrEqualTo((long) Math.ceil(1.5 * rss));
        });
    }

    @Test
    void stages_reach_only_their_kafka_and_only_the_uplink_reaches_the_cloud() throws Exception {
        Overlay edge = Overlay.build("edge");
        List<NetworkPolicy> policies = edge.ofKind("NetworkPolicy").stream().map(p -> (NetworkPolicy) SchemaCheck.typed(p)).toList();

        NetworkPolicy deny = policies.stream().filter(p -> p.getMetadata().getName().equals("default-deny")).findFirst().orElseThrow();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        NetworkPolicy stages = policies.stream().filter(p -> p.getMetadata().getName().equals("stages")).findFirst().orElseThrow();
        assertThat(stages.getSpec().getEgress()).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(peer ->
                    assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "kafka"));
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(9092));
        });
        List<NetworkPolicy> outward = policies.stream().filter(p -> p.getSpec().getEgress() != null && p.getSpec().getEgress().stream()
                .anyMatch(rule -> rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null))).toList();
        assertThat(outward).singleElement().satisfies(p -> assertThat(p.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(Map.entry("camel.apache.org/integration", "cefiot-uplink")));
    }

    @Test
    void each_stage_integration_carries_its_placement_probes_sizing_and_standby() throws Exception {
        Overlay edge = Overlay.build("edge");
        Map<String, Integration> integrations = new java.util.TreeMap<>();
        edge.ofKind("Integration").forEach(i -> integrations.put(Overlay.metadata(i).get("name").toString(), (Integration) SchemaCheck.typed(i)));

        assertThat(integrations).containsOnlyKeys("cefiot-camera", "cefiot-ingest", "cefiot-enrich", "cefiot-uplink");
        Integration camera = integrations.get("cefiot-camera");
        assertThat(camera.getSpec().getTraits().getAffinity().getNodeAffinityLabels()).containsExactly("cefiot.io/camera=true");
        assertThat(camera.getSpec().getReplicas()).isEqualTo(1);
        assertThat(integrations.get("cefiot-ingest").getSpec().getTraits().getAffinity().getPodAffinityLabels())
                .containsExactly("camel.apache.org/integration=cefiot-camera");
        for (Integration integration : integrations.values()) {
            var traits = integration.getSpec().getTraits();
            assertThat(traits.getHealth().getReadinessProbe()).isEqualTo("/observe/health/ready");
            assertThat(traits.getHealth().getLivenessProbe()).isEqualTo("/observe/health/live");
            assertThat(traits.getContainer().getPort()).isEqualTo(8080L);
            assertThat(traits.getContainer().getLimitMemory()).endsWith("Mi");
            assertThat(traits.getJvm().getOptions()).anyMatch(o -> o.startsWith("-Xmx"));
            assertThat(traits.getEnvironment().getVars()).anyMatch(v -> v.startsWith("CEFIOT_ARGS=run "
                    + integration.getMetadata().getLabels().get("cefiot.io/stage") + " --config "));
            if (integration != camera) {
                assertThat(integration.getSpec().getReplicas()).as(integration.getMetadata().getName() + " has a standby").isEqualTo(2);
            }
        }
        assertThat(Overlay.build("cloud").ofKind("Integration")).singleElement()
                .satisfies(i -> assertThat(Overlay.metadata(i).get("name")).isEqualTo("cefiot-archive"));
    }

    /**
     * The API server's checks (Kubernetes' ValidateSecurityContext and the image rules) on every pod
     * the overlay makes, the Integrations' as Camel K would render them (CamelKPod): privileged
     * with allowPrivilegeEscalation false is refused, and a local image (no registry at a site)
     * must be the one container/build-image.sh writes, never pulled.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void every_pod_runs_the_built_image_with_a_security_context_the_api_server_accepts(String name) throws Exception {
        Overlay overlay = Overlay.build(name);
        List<String> problems = new ArrayList<>();
        for (Pod pod : pods(overlay)) {
            for (Container container : pod.spec().getContainers()) {
                String where = pod.name() + "/" + container.getName();
                if (!ContainerImage.reference().equals(container.getImage())) {
                    problems.add(where + " runs image " + container.getImage() + ", not " + ContainerImage.reference()
                            + " (container/image.env, written by container/build-image.sh)");
                }
                if (!List.of("IfNotPresent", "Never").contains(String.valueOf(container.getImagePullPolicy()))) {
                    problems.add(where + " would pull its image (imagePullPolicy " + container.getImagePullPolicy() + ") from no registry");
                }
                SecurityContext security = container.getSecurityContext();
                if (security != null && Boolean.TRUE.equals(security.getPrivileged()) && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": privileged with allowPrivilegeEscalation false, which the API server refuses");
                }
            }
        }
        assertThat(pods(overlay)).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    /** Any site can use the base: its data (configuration, cluster ids) comes from the site component every overlay takes. */
    @Test
    void the_base_holds_no_site_data_and_every_overlay_takes_it_from_the_site_component() throws Exception {
        assertThat(Overlay.build("../base").ofKind("ConfigMap")).as("ConfigMaps in the base").isEmpty();
        String siteId = Files.readAllLines(Overlay.manifests().resolve("site/site.properties")).stream()
                .filter(l -> l.startsWith("site.id=")).findFirst().orElseThrow().substring("site.id=".length());
        for (String name : Overlay.ALL) {
            Overlay overlay = Overlay.build(name);
            @SuppressWarnings("unchecked")
            Map<String, String> site = (Map<String, String>) overlay.named("ConfigMap", "cefiot-site").get("data");
            assertThat(site.get("site.properties")).as(name).contains("site.id=" + siteId);
            // Hashed (kafka-cluster-HASH): kustomize rewrites the StatefulSet's reference to it.
            assertThat(overlay.ofKind("ConfigMap")).as(name).anySatisfy(c -> {
                assertThat(Overlay.metadata(c).get("name").toString()).startsWith("kafka-cluster-");
                assertThat(c.get("data")).asString().contains("cluster-id=");
            });
        }
    }

    /**
     * Camel K runs no Integration without an IntegrationPlatform in the namespace, and off
     * OpenShift its 2.x platform monitor calls one without a registry address an Error.
     */
    @Test
    void the_camel_k_overlays_ship_an_integration_platform_the_operator_calls_ready() throws Exception {
        for (String name : List.of("edge", "cloud")) {
            IntegrationPlatform platform = (IntegrationPlatform) SchemaCheck.typed(Overlay.build(name).named("IntegrationPlatform", "camel-k"));
            assertThat(platform.getMetadata().getNamespace()).isEqualTo("cefiot");
            assertThat(platform.getSpec().getBuild().getRegistry().getAddress()).as(name).isNotBlank();
        }
        for (String name : List.of("edge-deployments", "cloud-deployments")) {
            assertThat(Overlay.build(name).ofKind("IntegrationPlatform")).as(name + " needs no operator").isEmpty();
        }
    }

    /** The model catches what it is for: the camera's pod as it was before, with the trait's default, is refused. */
    @Test
    @SuppressWarnings("unchecked")
    void the_camel_k_model_renders_the_camera_pod_refused_without_privilege_escalation_allowed() throws Exception {
        Map<String, Object> camera = Overlay.build("edge").named("Integration", "cefiot-camera");
        SecurityContext rendered = CamelKPod.render((Integration) SchemaCheck.typed(camera)).getContainers().get(0).getSecurityContext();
        assertThat(rendered.getPrivileged()).isTrue();
        assertThat(rendered.getAllowPrivilegeEscalation()).isTrue();

        // As it was: privileged in the template, and no word on escalation in the trait or the template.
        Map<String, Object> spec = (Map<String, Object>) camera.get("spec");
        ((Map<String, Object>) ((Map<String, Object>) spec.get("traits")).get("container")).remove("allowPrivilegeEscalation");
        Map<String, Object> templateSpec = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) templateSpec.get("containers")).get(0);
        ((Map<String, Object>) container.get("securityContext")).remove("allowPrivilegeEscalation");
        SecurityContext refused = CamelKPod.render((Integration) SchemaCheck.typed(camera)).getContainers().get(0).getSecurityContext();
        assertThat(refused.getPrivileged()).isTrue();
        assertThat(refused.getAllowPrivilegeEscalation()).as("the container trait's default").isFalse();
    }

    /** A site's overlay that sets another tag with kustomize's images: moves every pod, Integrations included. */
    @Test
    void a_site_overlay_setting_another_image_tag_moves_every_pod() throws Exception {
        for (String base : List.of("edge", "edge-deployments", "cloud")) {
            java.nio.file.Path site = Files.createTempDirectory(Overlay.manifests().resolve("overlays"), "site-");
            try {
                Files.writeString(site.resolve("kustomization.yaml"), "resources:\n  - ../" + base + "\nimages:\n  - name: "
                        + ContainerImage.name() + "\n    newTag: 9.9.9-site\n");
                Overlay overlay = Overlay.build(site.getFileName().toString());
                List<String> images = pods(overlay).stream().flatMap(p -> p.spec().getContainers().stream()).map(Container::getImage).toList();
                assertThat(images).as(base).isNotEmpty().containsOnly(ContainerImage.name() + ":9.9.9-site");
            } finally {
                Files.delete(site.resolve("kustomization.yaml"));
                Files.delete(site);
            }
        }
    }

    /** A pod of the overlay: a Deployment's or StatefulSet's template, or the pod Camel K makes for an Integration. */
    record Pod(String name, PodSpec spec, List<PersistentVolumeClaim> claimTemplates) {
    }

    static List<Pod> pods(Overlay overlay) {
        List<Pod> pods = new ArrayList<>();
        for (Map<String, Object> object : overlay.objects()) {
            Object typed = SchemaCheck.typed(object);
            if (typed instanceof Deployment d) {
                pods.add(new Pod(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec(), List.of()));
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            } else if (typed instanceof StatefulSet s) {
                pods.add(new Pod(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec(), s.getSpec().getVolumeClaimTemplates()));
            } else if (typed instanceof Integration i) {
                pods.add(new Pod(i.getMetadata().getName(), CamelKPod.render(i), List.of()));
            }
        }
        return pods;
    }

    private static Set<String> names(Overlay overlay, String kind) {
        Set<String> names = new HashSet<>();
        overlay.ofKind(kind).forEach(o -> names.add(Overlay.metadata(o).get("name").toString()));
        return names;
    }

    private static long mebibytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).longValue() / (1024 * 1024);
    }

    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([mg])");

    private static long heapMiB(Container container) {
        String options = container.getEnv().stream().filter(e -> e.getName().equals("CEFIOT_JAVA_OPTS")).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " sets no CEFIOT_JAVA_OPTS"));
        Matcher m = XMX.matcher(options);
        assertThat(m.find()).as(container.getName() + " fixes its heap with -Xmx").isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }
}
