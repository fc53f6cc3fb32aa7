package io.cefiot.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Plain HTTP GETs to a CEFIoT console on localhost, with or without a login. */
final class ConsoleHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ConsoleHttp() {
    }

    static HttpResponse<String> get(int port, String path) {
        return send(request(port, path));
    }

    /** With HTTP Basic credentials, as a script or Prometheus with a login would send them. */
    static HttpResponse<String> get(int port, String path, String user, String password) {
        String login = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(request(port, path).header("Authorization", "Basic " + login));
    }

    /** The body, or "" while the console is not up yet (for Awaitility conditions). */
    static String bodyOrEmpty(int port, String path) {
        try {
            return get(port, path).body();
        } catch (UncheckedIOException notUpYet) {
            return "";
        }
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
