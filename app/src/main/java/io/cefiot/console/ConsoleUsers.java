package io.cefiot.console;

import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The users who may log in to the console, each with a password. They come from configuration
 * only: console.user and console.password, and any more in console.users-file.
 */
public record ConsoleUsers(Map<String, ConsoleCredentials> byName) {

    public ConsoleUsers {
        byName = Map.copyOf(byName);
    }

    public static ConsoleUsers of(List<ConsoleCredentials> users) {
        Map<String, ConsoleCredentials> byName = new LinkedHashMap<>();
        users.forEach(u -> byName.put(u.user(), u));
        return new ConsoleUsers(byName);
    }

    /** The configured users; empty when the configuration names none (then there is no console). */
    public static Optional<ConsoleUsers> from(SiteConfig config) {
        Map<String, ConsoleCredentials> byName = new LinkedHashMap<>();
        config.get(Setting.CONSOLE_PASSWORD).ifPresent(password ->
                byName.put(config.require(Setting.CONSOLE_USER), new ConsoleCredentials(config.require(Setting.CONSOLE_USER), password)));
        Optional<Path> file = config.get(Setting.CONSOLE_USERS_FILE).map(Path::of);
        if (file.isPresent()) {
            Properties users = new Properties();
            try (Reader reader = Files.newBufferedReader(file.get())) {
                users.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Setting 'console.users-file' names " + file.get() + " in " + config.origin()
                        + ", which cannot be read: " + e.getMessage() + ". It holds one 'user = password' per line.");
            }
            for (String name : users.stringPropertyNames()) {
                String password = users.getProperty(name);
                if (password.isEmpty()) {
                    throw new ConfigException("User '" + name + "' in " + file.get() + " (console.users-file) has no password.");
                }
                byName.put(name, new ConsoleCredentials(name, password));
            }
        }
        return byName.isEmpty() ? Optional.empty() : Optional.of(new ConsoleUsers(byName));
    }

    /** Whether {@code name} is a user and {@code password} is theirs. */
    public boolean matches(String name, char[] password) {
        ConsoleCredentials user = byName.get(name);
        return user != null && user.matches(name, password);
    }
}
