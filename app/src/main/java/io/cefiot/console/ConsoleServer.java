package io.cefiot.console;

import java.io.File;
import java.io.IOException;

import java.net.BindException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console of one CEFIoT process, on one port:
 * <ul>
 *   <li>{@code /hawtio}: Hawtio 4 (its war, on embedded Jetty 12) with the Camel plugin, which shows
 *       every route of the process; its API, {@code /hawtio/jolokia}, answers logged-in users only;</li>
 *   <li>{@code /observe/metrics}: the process's Micrometer meters for Prometheus (open);</li>
 *   <li>{@code /observe/health}, {@code /observe/health/live}, {@code /observe/health/ready}:
 *       liveness and readiness as JSON, 200 when UP and 503 when not (open, for probes).</li>
 * </ul>
 * Logins go through JAAS realm {@value #REALM}, checked by {@link ConsoleLoginModule}.
 */
public final class ConsoleServer implements AutoCloseable {

    public static final String REALM = "cefiot";
    public static final String ROLE = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);

    private final Server server;
    private final int port;

    private ConsoleServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the console on {@code port} (0 = any free port) of every interface.
     *
     * @param contexts the Camel contexts of this process now (placement moves replace them)
     */
    public static ConsoleServer start(int port, ConsoleUsers users, PrometheusMeterRegistry registry,
                                      Supplier<List<CamelContext>> contexts) {
        configureHawtio(users);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(hawtioWar().toString());
        hawtio.setThrowUnavailableOnStartupException(true);
        ContextHandler observe = new ContextHandler(new ObserveHandler(registry, contexts), "/observe");
        server.setHandler(new ContextHandlerCollection(hawtio, observe));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (causedByBind(e)) {
                throw new IllegalStateException("The console cannot listen on port " + port + ": it is in use. "
                        + "Choose another with --console-port.", e);
            }
            throw new IllegalStateException("The console did not start: " + e.getMessage(), e);
        }
        int actual = connector.getLocalPort();
        LOG.info("Console on port {}: /hawtio (login required), /observe/metrics, /observe/health", actual);
        return new ConsoleServer(server, actual);
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /**
     * Hawtio reads its security settings from system properties, and performs the login through
     * JAAS under its realm; the JAAS entry carries the users to {@link ConsoleLoginModule}.
     */
    private static void configureHawtio(ConsoleUsers users) {
        System.setProperty("hawtio.authenticationEnabled", "true");
        System.setProperty("hawtio.realm", REALM);
        System.setProperty("hawtio.roles", ROLE);
        System.setProperty("hawtio.rolePrincipalClasses", ConsoleRole.class.getName());
        // No Tomcat user files here; only our login module answers.
        System.setProperty("hawtio.authenticationContainerDiscoveryClasses", "");
        AppConfigurationEntry entry = new AppConfigurationEntry(ConsoleLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of(ConsoleLoginModule.USERS_OPTION, users));
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return REALM.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        });
    }

    /** The Hawtio war: on the class path (tests), or in lib/ beside the launcher jar. */
    static Path hawtioWar() {
        Optional<Path> onClassPath = Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .map(Path::of).filter(ConsoleServer::isHawtioWar).findFirst();
        if (onClassPath.isPresent()) {
            return onClassPath.get();
        }
        try {
            Path jar = Path.of(ConsoleServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path lib : List.of(jar.resolveSibling("lib"), jar.getParent().resolveSibling("lib"))) {
                if (Files.isDirectory(lib)) {
                    try (Stream<Path> files = Files.list(lib)) {
                        Optional<Path> war = files.filter(ConsoleServer::isHawtioWar).findFirst();
                        if (war.isPresent()) {
                            return war.get();
                        }
                    }
                }
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("Cannot look for the Hawtio war: " + e.getMessage(), e);
        }
        throw new IllegalStateException("The Hawtio war (hawtio-war-*.war) is neither on the class path nor in lib/ "
                + "beside the CEFIoT jar. Rebuild with: mvn -pl app -am package -DskipTests");
    }

    private static boolean isHawtioWar(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.startsWith("hawtio-war-") && name.endsWith(".war");
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("Stopping the console: {}", e.getMessage());
        }
    }

}
