package io.cefiot.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets: 24 bytes (192 bits) from {@link SecureRandom}, URL-safe Base64 without padding. */
public final class Passwords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
