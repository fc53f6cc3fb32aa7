package io.cefiot.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.IntegrationPlatform;
import org.apache.camel.v1.integrationspec.Flows;

/**
 * Checks an object against the Kubernetes schemas as fabric8's typed model knows them (and Camel
 * K's, for Integrations and their IntegrationPlatform): the kind must be known, every value must bind to its field's type, and
 * no field may be unknown. The model keeps unknown fields aside as "additional properties" instead
 * of failing, so those are looked for everywhere in the object.
 */
final class SchemaCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaCheck() {
    }

    static KubernetesResource typed(Map<String, Object> object) {
        String json;
        try {
            json = JSON.writeValueAsString(object);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return switch (String.valueOf(object.get("kind"))) {
            case "Integration" -> Serialization.unmarshal(json, Integration.class);
            case "IntegrationPlatform" -> Serialization.unmarshal(json, IntegrationPlatform.class);
            default -> Serialization.unmarshal(json, KubernetesResource.class);
        };
    }

    /** Adds to {@code problems} what in {@code object} does not fit its schema. */
    static void check(Map<String, Object> object, List<String> problems) {
        String where = object.get("kind") + " " + Overlay.metadata(object).get("name");
        KubernetesResource typed;
        try {
            typed = typed(object);
        } catch (RuntimeException e) {
            problems.add(where + ": does not bind to its schema: " + e.getMessage());
            return;
        }
        if (typed instanceof GenericKubernetesResource) {
            problems.add(where + ": no schema knows apiVersion " + object.get("apiVersion") + " kind " + object.get("kind"));
            return;
        }
        unknownFields(typed, where, problems);
    }

    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null || value instanceof Flows) {
            // An Integration's flows are Camel routes, not Kubernetes fields: the drift test parses them.
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        String type = value.getClass().getName();
        if (!type.startsWith("io.fabric8.kubernetes.api.model") && !type.startsWith("org.apache.camel.v1")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet() + " in " + value.getClass().getSimpleName());
                }
            } else {
                String name = getter.getName().substring(3);
                unknownFields(field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems);
            }
        }
    }
}
