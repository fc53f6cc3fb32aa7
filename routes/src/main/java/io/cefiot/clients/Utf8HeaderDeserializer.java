package io.cefiot.clients;

import java.nio.charset.StandardCharsets;

import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;

/** Every header of the image data contract is UTF-8 text; this reads it back as a String. */
public class Utf8HeaderDeserializer implements KafkaHeaderDeserializer {

    @Override
    public Object deserialize(String key, byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
