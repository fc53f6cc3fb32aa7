package io.cefiot.console;

import java.security.Principal;

/** The logged-in console user in a JAAS subject. */
public record ConsoleUser(String getName) implements Principal {
}
