package io.cefiot.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /observe/metrics} and {@code /observe/health[/live|/ready]} (Camel's observability paths).
 * Live: the process answers and no Camel context has failed. Ready: every Camel context is started.
 * The health body lists each context's routes and their states, so a probe log says what is down.
 */
final class ObserveHandler extends Handler.Abstract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrometheusMeterRegistry registry;
    private final Supplier<List<CamelContext>> contexts;

    ObserveHandler(PrometheusMeterRegistry registry, Supplier<List<CamelContext>> contexts) {
        this.registry = registry;
        this.contexts = contexts;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/metrics" -> reply(response, callback, HttpStatus.OK_200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            case "/health", "/health/ready" -> health(response, callback, true);
            case "/health/live" -> health(response, callback, false);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void health(Response response, Callback callback, boolean readiness) throws JsonProcessingException {
        List<Map<String, Object>> details = new ArrayList<>();
        boolean live = true;
        boolean ready = true;
        List<CamelContext> current = contexts.get();
        if (current.isEmpty()) {
            ready = false;
        }
        for (CamelContext context : current) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", context.getName());
            entry.put("status", context.getStatus().name());
            Map<String, String> routes = new LinkedHashMap<>();
            for (Route route : context.getRoutes()) {
                routes.put(route.getRouteId(), String.valueOf(context.getRouteController().getRouteStatus(route.getRouteId())));
            }
            entry.put("routes", routes);
            details.add(entry);
            live &= !context.getStatus().name().equals("Failed");
            ready &= context.getStatus().isStarted();
        }
        boolean up = readiness ? ready : live;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("liveness", live ? "UP" : "DOWN");
        body.put("readiness", ready ? "UP" : "DOWN");
        body.put("contexts", details);
        reply(response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, "application/json",
                JSON.writeValueAsString(body));
    }

    private static void reply(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }
}
