package io.cefiot.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.integrationspec.Traits;

/**
 * The pod Camel K 2.x would run for an Integration of ours (self-managed build: the container
 * trait names the image), as a small model of its documented trait behaviour, so that the pod
 * can be checked the way the API server would check it:
 * <ul>
 *   <li>container trait: one container named {@code integration} with the image, pull policy,
 *       port and resources, and a security context whose defaults are
 *       {@code allowPrivilegeEscalation: false}, capabilities dropped {@code ALL} and seccomp
 *       {@code RuntimeDefault};</li>
 *   <li>health trait: HTTP probes on port 8080, the health port of a self-managed build (no
 *       Camel catalog; the 2.4 trait model has no per-probe port);</li>
 *   <li>environment trait: its {@code vars} as environment variables, beside Camel K's own
 *       {@code CAMEL_K_CONF} (the application.properties listing the sources) and
 *       {@code CAMEL_K_CONF_D};</li>
 *   <li>jvm trait with a jar: the command {@code java OPTIONS -cp CLASSPATH -jar JAR} in
 *       {@code /deployments}, which bypasses the image's entry point;</li>
 *   <li>the pod template, merged over that the way a strategic merge patch would: the container
 *       by name, its environment by name, its mounts by path, its security context field by field.</li>
 * </ul>
 * The volumes of Camel K's own ConfigMaps (the sources and application.properties) are left
 * out: the operator makes them, so no overlay defines them; a test mounts their content itself.
 */
final class CamelKPod {

    static final String CONTAINER = "integration";
    /** Where Camel K mounts the application.properties that lists an Integration's sources (camel.k.sources[N]). */
    static final String APPLICATION_PROPERTIES = "/etc/camel/application.properties";
    /** Where Camel K mounts an Integration's sources, its spec.flows among them. */
    static final String SOURCES = "/etc/camel/sources";
    static final int SELF_MANAGED_HEALTH_PORT = 8080;

    private CamelKPod() {
    }

    static PodSpec render(Integration integration) {
        Traits traits = integration.getSpec().getTraits();
        var trait = traits.getContainer();
        SecurityContext security = new SecurityContext();
        security.setAllowPrivilegeEscalation(trait.getAllowPrivilegeEscalation() != null ? trait.getAllowPrivilegeEscalation() : false);
        security.setCapabilities(new Capabilities(trait.getCapabilitiesAdd() == null ? null : trait.getCapabilitiesAdd(),
                trait.getCapabilitiesDrop() == null ? List.of("ALL") : trait.getCapabilitiesDrop()));
        security.setSeccompProfile(new SeccompProfileBuilder().withType(trait.getSeccompProfileType() == null
                ? "RuntimeDefault" : trait.getSeccompProfileType().getValue()).build());
        security.setRunAsNonRoot(trait.getRunAsNonRoot());
        security.setRunAsUser(trait.getRunAsUser());

        ContainerBuilder container = new ContainerBuilder().withName(CONTAINER).withImage(trait.getImage())
                .withImagePullPolicy(trait.getImagePullPolicy() == null ? null : trait.getImagePullPolicy().getValue())
                .withSecurityContext(security);
        if (trait.getPort() != null) {
            container.withPorts(new ContainerPortBuilder().withName(trait.getPortName()).withContainerPort(trait.getPort().intValue()).build());
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        put(requests, "cpu", trait.getRequestCPU());
        put(requests, "memory", trait.getRequestMemory());
        put(limits, "cpu", trait.getLimitCPU());
        put(limits, "memory", trait.getLimitMemory());
        container.withResources(new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build());

        var health = traits.getHealth();
        if (health != null && Boolean.TRUE.equals(health.getEnabled())) {
            if (Boolean.TRUE.equals(health.getLivenessProbeEnabled())) {
                container.withLivenessProbe(probe(health.getLivenessProbe()));
            }
            if (!Boolean.FALSE.equals(health.getReadinessProbeEnabled())) {
                container.withReadinessProbe(probe(health.getReadinessProbe()));
            }
            if (Boolean.TRUE.equals(health.getStartupProbeEnabled())) {
                container.withStartupProbe(probe(health.getStartupProbe()));
            }
        }
        List<EnvVar> env = new ArrayList<>();
        if (traits.getEnvironment() != null && traits.getEnvironment().getVars() != null) {
            for (String var : traits.getEnvironment().getVars()) {
                int eq = var.indexOf('=');
                env.add(new EnvVar(var.substring(0, eq), var.substring(eq + 1), null));
            }
        }
        env.add(new EnvVar("CAMEL_K_CONF", APPLICATION_PROPERTIES, null));
        env.add(new EnvVar("CAMEL_K_CONF_D", "/etc/camel/conf.d", null));
        container.withEnv(env);

        PodSpec pod = new PodSpec();
        pod.setContainers(new ArrayList<>(List.of(container.build())));
        pod.setVolumes(new ArrayList<>());
        if (integration.getSpec().getTemplate() != null) {
            PodTemplateSpec template = Serialization.unmarshal(Serialization.asJson(integration.getSpec().getTemplate()), PodTemplateSpec.class);
            merge(pod, template.getSpec());
        }
        var jvm = traits.getJvm();
        if (jvm != null && jvm.getJar() != null) {
            // The jvm trait with a jar: java OPTIONS -cp CLASSPATH -jar JAR, from /deployments, past the image's entry point.
            Container integrationContainer = pod.getContainers().get(0);
            TreeSet<String> classpath = new TreeSet<>(List.of("./resources", "/etc/camel/resources",
                    "/etc/camel/resources.d/_configmaps", "/etc/camel/resources.d/_secrets"));
            integrationContainer.getVolumeMounts().forEach(m -> classpath.add(m.getMountPath()));
            List<String> args = new ArrayList<>(jvm.getOptions() == null ? List.of() : jvm.getOptions());
            args.addAll(List.of("-cp", String.join(":", classpath), "-jar", jvm.getJar()));
            integrationContainer.setWorkingDir("/deployments");
            integrationContainer.setCommand(List.of("java"));
            integrationContainer.setArgs(args);
        }
        return pod;
    }

    private static Probe probe(String path) {
        return new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath(path).withScheme("HTTP")
                .withPort(new IntOrString(SELF_MANAGED_HEALTH_PORT)).build()).build();
    }

    private static void put(Map<String, Quantity> resources, String name, String value) {
        if (value != null) {
            resources.put(name, new Quantity(value));
        }
    }

    private static void merge(PodSpec pod, PodSpec template) {
        if (template == null) {
            return;
        }
        if (template.getVolumes() != null) {
            pod.getVolumes().addAll(template.getVolumes());
        }
        for (Container patch : template.getContainers()) {
            Container target = pod.getContainers().stream().filter(c -> c.getName().equals(patch.getName())).findFirst().orElse(null);
            if (target == null) {
                pod.getContainers().add(patch);
                continue;
            }
            for (EnvVar var : patch.getEnv()) {
                target.getEnv().removeIf(e -> e.getName().equals(var.getName()));
                target.getEnv().add(var);
            }
            List<VolumeMount> mounts = new ArrayList<>(target.getVolumeMounts());
            for (VolumeMount mount : patch.getVolumeMounts()) {
                mounts.removeIf(m -> m.getMountPath().equals(mount.getMountPath()));
                mounts.add(mount);
            }
            target.setVolumeMounts(mounts);
            SecurityContext over = patch.getSecurityContext();
            if (over != null) {
                SecurityContext merged = target.getSecurityContext();
                if (over.getPrivileged() != null) {
                    merged.setPrivileged(over.getPrivileged());
                }
                if (over.getAllowPrivilegeEscalation() != null) {
                    merged.setAllowPrivilegeEscalation(over.getAllowPrivilegeEscalation());
                }
                if (over.getReadOnlyRootFilesystem() != null) {
                    merged.setReadOnlyRootFilesystem(over.getReadOnlyRootFilesystem());
                }
                if (over.getRunAsUser() != null) {
                    merged.setRunAsUser(over.getRunAsUser());
                }
                if (over.getRunAsNonRoot() != null) {
                    merged.setRunAsNonRoot(over.getRunAsNonRoot());
                }
                if (over.getCapabilities() != null) {
                    merged.setCapabilities(over.getCapabilities());
                }
            }
        }
    }
}
