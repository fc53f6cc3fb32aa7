package io.cefiot.console;

import io.cefiot.security.Passwords;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The console's one user and password. Nothing ships with a default password: the demo generates
 * one, and process mode takes them from the site configuration (console.user, console.password).
 */
public record ConsoleCredentials(String user, String password) {

    public ConsoleCredentials {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The console needs a user and a password");
        }
    }

    /** A user with a fresh random password ({@link Passwords#random()}). */
    public static ConsoleCredentials generated(String user) {
        return new ConsoleCredentials(user, Passwords.random());
    }

    /** Whether the pair matches, compared in constant time. */
    public boolean matches(String name, char[] given) {
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);
        byte[] actual = new String(given).getBytes(StandardCharsets.UTF_8);
        return user.equals(name) & MessageDigest.isEqual(expected, actual);
    }
}
