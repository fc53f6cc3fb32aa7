package io.cefiot.launcher;

import io.cefiot.deploy.ContainerImage;
import io.cefiot.deploy.K3sManifests;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.SiteConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Regenerates the stage manifests of k3s-manifests/ from routes/ and the site configuration's plan. */
@Command(name = "manifests", mixinStandardHelpOptions = true,
        description = "Write each stage's Camel K Integration and Deployment for k3s, from routes/ and a site configuration.")
public class ManifestsCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "k3s-manifests/site/site.properties", paramLabel = "FILE",
            description = "Site configuration whose placement decides each stage's side (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--out", defaultValue = "k3s-manifests/stages", paramLabel = "DIR",
            description = "Where to write camel-k/SIDE and deployments/SIDE (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Container image the stages run (default: the one container/image.env names).")
    String image;

    @Override
    public Integer call() {
        SiteConfig site = SiteConfig.load(config);
        // ./cefiot points cefiot.routes.dir at routes/, so an edited route is what gets written.
        Path routes = Optional.ofNullable(System.getProperty(PipelineRuntime.ROUTES_DIR_PROPERTY)).filter(s -> !s.isBlank())
                .map(Path::of).orElse(null);
        List<Path> written = new K3sManifests(routes, image == null ? ContainerImage.reference() : image).write(site, config.getFileName().toString(), out);
        System.out.println("cefiot: wrote " + written.size() + " files under " + out + " for site " + site.siteId()
                + " (routes from " + (routes == null ? "the jar" : routes) + ")");
        return 0;
    }
}
