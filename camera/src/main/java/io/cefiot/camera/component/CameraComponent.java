package io.cefiot.camera.component;

import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code camera:CAMERA_ID?source=...} component: a consumer that reads frames from a V4L2
 * device, a network stream or a video file, detects motion, and sends each captured frame as one
 * exchange (see {@link CameraEndpoint} for the options and {@link CameraHeaders} for the headers).
 */
@org.apache.camel.spi.annotations.Component("camera")
public class CameraComponent extends DefaultComponent {

    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!CAMERA_ID.matcher(remaining).matches()) {
            throw new IllegalArgumentException("Camera id '" + remaining + "' in " + uri
                    + ": use letters, digits and '-', starting with a letter or digit (at most 63 characters)");
        }
        CameraEndpoint endpoint = new CameraEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
