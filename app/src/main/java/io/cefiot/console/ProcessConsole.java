package io.cefiot.console;

import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;

/** The console of a process-mode JVM ({@code ./cefiot run}): on when the configuration gives a password. */
public final class ProcessConsole {

    private ProcessConsole() {
    }

    /**
     * The registry every stage of the process counts into, with the JVM's own figures (memory by
     * pool, GC, threads, classes, CPU, uptime, open files): on a 4 GB Pi, memory is what to watch.
     */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()).forEach(binder -> binder.bindTo(registry));
        return registry;
    }

    /**
     * Starts the console if {@code console.password} or {@code console.users-file} is set (or fails if a port was asked for
     * without one); empty if the configuration leaves it off.
     */
    public static Optional<ConsoleServer> startIfConfigured(SiteConfig config, Integer portOption, PrometheusMeterRegistry registry,
                                                            Supplier<List<CamelContext>> contexts) {
        Optional<ConsoleUsers> users = ConsoleUsers.from(config);
        if (users.isEmpty()) {
            if (portOption != null) {
                throw new ConfigException("--console-port was given, but setting 'console.password' is missing in " + config.origin()
                        + ". The console has no default password: set console.user and console.password (or console.users-file).");
            }
            return Optional.empty();
        }
        int port = portOption != null ? portOption : (int) config.longValue(Setting.CONSOLE_PORT);
        return Optional.of(ConsoleServer.start(port, users.get(), registry, contexts));
    }
}
