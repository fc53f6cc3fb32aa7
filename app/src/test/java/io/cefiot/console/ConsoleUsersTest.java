package io.cefiot.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cefiot.site.ConfigException;
import io.cefiot.site.SiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleUsersTest {

    @TempDir
    Path dir;

    @Test
    void users_come_from_console_user_and_password_and_the_users_file() throws Exception {
        Path file = Files.writeString(dir.resolve("console-users.properties"), "night-shift = moon\nday-shift = sun\n");
        ConsoleUsers users = ConsoleUsers.from(SiteConfig.of("f", Map.of("site.id", "gate", "console.user", "ops",
                "console.password", "s3cret", "console.users-file", file.toString()))).orElseThrow();

        assertThat(users.byName()).containsOnlyKeys("ops", "night-shift", "day-shift");
        assertThat(users.matches("ops", "s3cret".toCharArray())).isTrue();
        assertThat(users.matches("night-shift", "moon".toCharArray())).isTrue();
        assertThat(users.matches("night-shift", "sun".toCharArray())).isFalse();
        assertThat(users.matches("nobody", "s3cret".toCharArray())).isFalse();
    }

    @Test
    void no_password_means_no_console_and_a_missing_users_file_names_the_setting() {
        assertThat(ConsoleUsers.from(SiteConfig.of("f", Map.of("site.id", "gate")))).isEmpty();
        assertThatThrownBy(() -> ConsoleUsers.from(SiteConfig.of("f", Map.of("site.id", "gate",
                "console.users-file", dir.resolve("missing.properties").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'console.users-file'");
    }
}
