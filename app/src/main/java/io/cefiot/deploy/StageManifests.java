package io.cefiot.deploy;

import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a stage's k3s objects: a Camel K {@code Integration} (the route in {@code spec.flows},
 * sizing and probes as traits) and, for clusters without the operator, a {@code Deployment} of
 * the same image running {@code cefiot run STAGE}. Pod details both share (volumes, environment,
 * scheduling) are built once here, so the two variants cannot drift apart.
 */
public final class StageManifests {

    /** The site configuration ConfigMap's mount; its file is the --config of every stage. */
    static final String SITE_CONFIG_DIR = "/etc/cefiot/site";
    /** The console Secret's mount: console-users.properties (user = password lines). */
    static final String CONSOLE_SECRET_DIR = "/etc/cefiot/console";
    /** The cloud CA ConfigMap's mount (ca.pem): the uplink checks the cloud brokers' certificates against it. */
    static final String CLOUD_CA_DIR = "/etc/cefiot/cloud-ca";
    /** The Secret holding the site's cloud password (key {@code password}); the operator creates it, nothing ships one. */
    public static final String CLOUD_LOGIN_SECRET = "cefiot-cloud-login";
    /** The ConfigMap holding the cloud's CA certificate (key {@code ca.pem}). */
    public static final String CLOUD_CA_CONFIG_MAP = "cefiot-cloud-ca";
    /** Camera and ingest state: spool, its leader lock, quarantine and the camera's sequence. */
    static final String STATE_DIR = "/var/lib/cefiot";
    static final String ARCHIVE_DIR = "/var/lib/cefiot/archive";
    static final String JAR = "/opt/cefiot/cefiot.jar";
    /** Label Camel K puts on an Integration's pods; the Deployments use it too, so one set of NetworkPolicies serves both. */
    public static final String INTEGRATION_LABEL = "camel.apache.org/integration";
    /** Camel K's name for the container that runs the integration. */
    static final String CONTAINER = "integration";

    /** What container/cefiot-entrypoint.sh passes java besides CEFIOT_JAVA_OPTS, for the pods that bypass it. */
    static final String JAVACPP_CACHE_OPTION = "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp";

    private final String image;
    private final String inClusterKafka;

    /**
     * @param image          the project's container image (see container/build-image.sh)
     * @param inClusterKafka a stage's own side's Kafka as seen from inside its cluster (the StatefulSet's
     *                       pods); the site configuration's value stays for the other side (the
     *                       edge's uplink reaches the cloud by its external address)
     */
    public StageManifests(String image, String inClusterKafka) {
        this.image = image;
        this.inClusterKafka = inClusterKafka;
    }

    public Map<String, Object> integration(K3sStage stage, List<Object> flows) {
        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Object> containerTrait = map("image", image, "imagePullPolicy", "IfNotPresent", "port", K3sStage.CONSOLE_PORT,
                "portName", "console", "requestCPU", stage.cpuRequest(), "limitCPU", stage.cpuLimit(),
                "requestMemory", stage.memoryRequestMiB() + "Mi", "limitMemory", stage.memoryLimitMiB() + "Mi");
        if (stage.stage() == Stage.CAMERA) {
            // The trait sets allowPrivilegeEscalation false unless told; with the template's privileged
            // container the API server would refuse the pod.
            containerTrait.put("allowPrivilegeEscalation", true);
        }
        traits.put("container", containerTrait);
        // The image holds the built application: the operator runs its jar instead of building one.
        // The jvm trait starts java itself, bypassing the image's entry point, so what the entry
        // point adds (JavaCPP's native libraries unpacked under the writable /tmp) goes here too.
        List<String> jvmOptions = new ArrayList<>(stage.jvmOptions());
        jvmOptions.add(JAVACPP_CACHE_OPTION);
        traits.put("jvm", map("jar", JAR, "options", jvmOptions));
        traits.put("health", map("enabled", true,
                "livenessProbeEnabled", true, "livenessProbe", "/observe/health/live", "livenessPeriod", 10, "livenessFailureThreshold", 3,
                "readinessProbeEnabled", true, "readinessProbe", "/observe/health/ready", "readinessPeriod", 5,
                "startupProbeEnabled", true, "startupProbe", "/observe/health/live", "startupPeriod", 5, "startupFailureThreshold", 36));
        traits.put("affinity", integrationAffinity(stage));
        traits.put("environment", map("vars", List.of("CEFIOT_ARGS=" + String.join(" ", arguments(stage)))));
        if (stage.replicas() > 1) {
            traits.put("pdb", map("enabled", true, "minAvailable", "1"));
        }
        Map<String, Object> container = map("name", CONTAINER, "env", environment(stage), "volumeMounts", volumeMounts(stage));
        securityContext(stage).forEach(container::put);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", stage.replicas());
        spec.put("flows", flows);
        spec.put("traits", traits);
        spec.put("template", map("spec", map("containers", List.of(container), "volumes", volumes(stage))));
        return object("camel.apache.org/v1", "Integration", stage, spec);
    }

    public Map<String, Object> deployment(K3sStage stage) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", CONTAINER);
        container.put("image", image);
        container.put("imagePullPolicy", "IfNotPresent");
        container.put("args", arguments(stage));
        List<Object> env = new ArrayList<>();
        env.add(map("name", "CEFIOT_JAVA_OPTS", "value", String.join(" ", stage.jvmOptions())));
        env.addAll(environment(stage));
        container.put("env", env);
        container.put("ports", List.of(map("name", "console", "containerPort", K3sStage.CONSOLE_PORT)));
        container.put("resources", map(
                "requests", map("cpu", stage.cpuRequest(), "memory", stage.memoryRequestMiB() + "Mi"),
                "limits", map("cpu", stage.cpuLimit(), "memory", stage.memoryLimitMiB() + "Mi")));
        container.put("startupProbe", probe("/observe/health/live", 5, 36));
        container.put("livenessProbe", probe("/observe/health/live", 10, 3));
        container.put("readinessProbe", probe("/observe/health/ready", 5, 3));
        container.put("volumeMounts", volumeMounts(stage));
        container.putAll(securityContext(stage));

        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("affinity", podAffinity(stage));
        podSpec.put("terminationGracePeriodSeconds", 30);
        podSpec.put("containers", List.of(container));
        podSpec.put("volumes", volumes(stage));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", stage.replicas());
        spec.put("selector", map("matchLabels", map(INTEGRATION_LABEL, stage.name())));
        spec.put("template", map("metadata", map("labels", labels(stage)), "spec", podSpec));
        return object("apps/v1", "Deployment", stage, spec);
    }

    /** A PodDisruptionBudget keeping one replica of a stage up while nodes drain (the Integration's pdb trait). */
    public Map<String, Object> disruptionBudget(K3sStage stage) {
        return object("policy/v1", "PodDisruptionBudget", stage,
                map("minAvailable", 1, "selector", map("matchLabels", map(INTEGRATION_LABEL, stage.name()))));
    }

    /** The command line of the stage's process. */
    static List<String> arguments(K3sStage stage) {
        return List.of("run", stage.stage().id(), "--config", SITE_CONFIG_DIR + "/site.properties",
                "--console-port", Integer.toString(K3sStage.CONSOLE_PORT));
    }

    private List<Object> environment(K3sStage stage) {
        List<Object> env = new ArrayList<>();
        env.add(map("name", SiteConfig.environmentName(Setting.CONSOLE_USERS_FILE), "value", CONSOLE_SECRET_DIR + "/console-users.properties"));
        env.add(map("name", SiteConfig.environmentName(stage.side().bootstrapServersSetting()), "value", inClusterKafka));
        if (stage.usesArchive()) {
            env.add(map("name", SiteConfig.environmentName(Setting.ARCHIVE_DIR), "value", ARCHIVE_DIR));
        }
        if (stage.reachesCloud()) {
            // The site's login on the cloud, from a Secret (never in the ConfigMap or a manifest).
            env.add(map("name", SiteConfig.environmentName(Setting.CLOUD_SASL_PASSWORD), "valueFrom",
                    map("secretKeyRef", map("name", CLOUD_LOGIN_SECRET, "key", "password"))));
            env.add(map("name", SiteConfig.environmentName(Setting.CLOUD_SSL_CA_FILE), "value", CLOUD_CA_DIR + "/ca.pem"));
        } else if (stage.side() == Side.CLOUD) {
            // The cloud's own stages use its in-cluster listener, fenced by the namespace's NetworkPolicy;
            // only the sites' listener (9094) takes TLS and logins.
            env.add(map("name", SiteConfig.environmentName(Setting.CLOUD_SECURITY_PROTOCOL), "value", "PLAINTEXT"));
        }
        return env;
    }

    private static List<Object> volumeMounts(K3sStage stage) {
        List<Object> mounts = new ArrayList<>();
        mounts.add(map("name", "site-config", "mountPath", SITE_CONFIG_DIR, "readOnly", true));
        mounts.add(map("name", "console-users", "mountPath", CONSOLE_SECRET_DIR, "readOnly", true));
        if (stage.reachesCloud()) {
            mounts.add(map("name", "cloud-ca", "mountPath", CLOUD_CA_DIR, "readOnly", true));
        }
        if (stage.usesSpool()) {
            mounts.add(map("name", "state", "mountPath", STATE_DIR));
        }
        if (stage.usesArchive()) {
            mounts.add(map("name", "archive", "mountPath", ARCHIVE_DIR));
        }
        if (stage.stage() == Stage.CAMERA) {
            mounts.add(map("name", "video", "mountPath", "/dev/video0"));
        } else {
            mounts.add(map("name", "tmp", "mountPath", "/tmp"));
        }
        return mounts;
    }

    private static List<Object> volumes(K3sStage stage) {
        List<Object> volumes = new ArrayList<>();
        volumes.add(map("name", "site-config", "configMap", map("name", "cefiot-site")));
        // No default password: the operator creates this Secret (k3s-manifests/README.md), and the
        // pods wait for it, since their probes need the console.
        volumes.add(map("name", "console-users", "secret", map("secretName", "cefiot-console")));
        if (stage.reachesCloud()) {
            volumes.add(map("name", "cloud-ca", "configMap", map("name", CLOUD_CA_CONFIG_MAP)));
        }
        if (stage.usesSpool()) {
            volumes.add(map("name", "state", "persistentVolumeClaim", map("claimName", "cefiot-state")));
        }
        if (stage.usesArchive()) {
            volumes.add(map("name", "archive", "persistentVolumeClaim", map("claimName", "cefiot-archive")));
        }
        if (stage.stage() == Stage.CAMERA) {
            volumes.add(map("name", "video", "hostPath", map("path", "/dev/video0", "type", "CharDevice")));
        } else {
            // The root filesystem is read-only; the JVM and the console's web app write temporary files here.
            volumes.add(map("name", "tmp", "emptyDir", map("sizeLimit", "64Mi")));
        }
        return volumes;
    }

    /**
     * The camera opens a host device, which a container may do only when privileged; a privileged
     * container always may escalate, and Kubernetes refuses one that says it may not.
     */
    private static Map<String, Object> securityContext(K3sStage stage) {
        return stage.stage() == Stage.CAMERA
                ? map("securityContext", map("privileged", true, "allowPrivilegeEscalation", true))
                : map("securityContext", map("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true));
    }

    private static Map<String, Object> integrationAffinity(K3sStage stage) {
        return switch (stage.stage()) {
            case CAMERA -> map("enabled", true, "nodeAffinityLabels", List.of(K3sStage.CAMERA_NODE_LABEL + "=true"));
            case INGEST -> map("enabled", true, "podAffinity", true, "podAffinityLabels", List.of(INTEGRATION_LABEL + "=cefiot-camera"));
            default -> map("enabled", true, "podAntiAffinity", true, "podAntiAffinityLabels", List.of(INTEGRATION_LABEL + "=" + stage.name()));
        };
    }

    private static Map<String, Object> podAffinity(K3sStage stage) {
        return switch (stage.stage()) {
            case CAMERA -> map("nodeAffinity", map("requiredDuringSchedulingIgnoredDuringExecution", map("nodeSelectorTerms", List.of(
                    map("matchExpressions", List.of(map("key", K3sStage.CAMERA_NODE_LABEL, "operator", "In", "values", List.of("true"))))))));
            case INGEST -> map("podAffinity", map("requiredDuringSchedulingIgnoredDuringExecution", List.of(
                    map("labelSelector", map("matchLabels", map(INTEGRATION_LABEL, "cefiot-camera")), "topologyKey", "kubernetes.io/hostname"))));
            // The standby on another node, so that a node's death leaves one replica running.
            default -> map("podAntiAffinity", map("preferredDuringSchedulingIgnoredDuringExecution", List.of(map("weight", 100,
                    "podAffinityTerm", map("labelSelector", map("matchLabels", map(INTEGRATION_LABEL, stage.name())),
                            "topologyKey", "kubernetes.io/hostname")))));
        };
    }

    private static Map<String, Object> probe(String path, int periodSeconds, int failureThreshold) {
        return map("httpGet", map("path", path, "port", "console"), "periodSeconds", periodSeconds,
                "timeoutSeconds", 3, "failureThreshold", failureThreshold);
    }

    private static Map<String, Object> object(String apiVersion, String kind, K3sStage stage, Map<String, Object> spec) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", map("name", stage.name(), "labels", labels(stage)));
        object.put("spec", spec);
        return object;
    }

    static Map<String, Object> labels(K3sStage stage) {
        return map(INTEGRATION_LABEL, stage.name(), "app.kubernetes.io/part-of", "cefiot",
                "app.kubernetes.io/component", "stage", "cefiot.io/stage", stage.stage().id(), "cefiot.io/side", stage.side().id());
    }

    /** An ordered map from key, value pairs: the manifests keep Kubernetes' usual field order. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
