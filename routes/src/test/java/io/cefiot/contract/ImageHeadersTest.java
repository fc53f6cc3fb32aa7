package io.cefiot.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.cefiot.camera.component.CameraHeaders;

import org.junit.jupiter.api.Test;

/** The camera: component names its headers as the data contract does, without the contract depending on it. */
class ImageHeadersTest {

    @Test
    void the_camera_component_uses_the_contract_names() {
        assertThat(CameraHeaders.CAMERA).isEqualTo(ImageHeaders.CAMERA);
        assertThat(CameraHeaders.SEQUENCE).isEqualTo(ImageHeaders.SEQUENCE);
        assertThat(CameraHeaders.CAPTURE_TIME).isEqualTo(ImageHeaders.CAPTURE_TIME);
    }
}
