package io.cefiot.console;

import java.security.Principal;

/**
 * A console role in a login's JAAS subject. Hawtio finds roles by this class's name
 * ({@code hawtio.rolePrincipalClasses}) and builds them with the one-String constructor.
 */
public record ConsoleRole(String getName) implements Principal {
}
