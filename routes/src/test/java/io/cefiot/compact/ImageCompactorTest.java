package io.cefiot.compact;

import io.cefiot.camera.SyntheticCamera;
import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.InvalidRecordException;
import io.cefiot.contract.Sha256;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageCompactorTest {

    static Exchange ingested(byte[] jpeg) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(jpeg);
        exchange.getIn().setHeader(ImageHeaders.CAMERA, "cam-1");
        exchange.getIn().setHeader(ImageHeaders.SEQUENCE, "1");
        exchange.getIn().setHeader(ImageHeaders.CAPTURE_TIME, "1764270000000");
        exchange.getIn().setHeader(ImageHeaders.SHA256, Sha256.hex(jpeg));
        return exchange;
    }

    @Test
    void should_scale_a_wide_image_down_and_keep_the_originals_hash() throws Exception {
        SyntheticCamera camera = new SyntheticCamera(1, List.of("cam-1"), Clock.systemUTC());
        byte[] original = null;
        for (int i = 0; original == null || ImageIO.read(new ByteArrayInputStream(original)).getWidth() <= 640; i++) {
            original = camera.draw(i);
        }
        Exchange exchange = ingested(original);

        new ImageCompactor(640, 60).compact(exchange);

        byte[] compacted = exchange.getIn().getBody(byte[].class);
        BufferedImage result = ImageIO.read(new ByteArrayInputStream(compacted));
        assertThat(result.getWidth()).isEqualTo(640);
        assertThat(compacted.length).isLessThan(original.length);
        assertThat(exchange.getIn().getHeader(ImageHeaders.ORIGINAL_SHA256)).isEqualTo(Sha256.hex(original));
        assertThat(exchange.getIn().getHeader(ImageHeaders.SHA256)).isEqualTo(Sha256.hex(compacted));
        assertThat(exchange.getIn().getHeader(ImageHeaders.COMPACTED, String.class)).startsWith("640x");
    }

    @Test
    void should_refuse_bytes_that_do_not_decode() {
        byte[] notAnImage = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

        assertThatThrownBy(() -> new ImageCompactor(640, 60).compact(ingested(notAnImage)))
                .isInstanceOf(InvalidRecordException.class);
    }
}
