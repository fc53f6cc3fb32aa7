package io.cefiot.camera;

import io.cefiot.camera.component.CameraHeaders;
import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;
import io.cefiot.files.DurableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts a captured image into the spool whole or not at all ({@link DurableFile}). Camel's file
 * producer can leave a cut-short image behind when the disk fills mid-write; this fails
 * instead, and the camera route holds the image and retries.
 */
public class SpoolWriter {

    private final Path spool;

    /** As the camera route files declare it, with the setting spool.dir. */
    public SpoolWriter(String spool) {
        this.spool = Path.of(spool);
    }

    /**
     * Writes the captured JPEG under its spool name, CAMERA_SEQUENCE_CAPTUREMILLIS.jpg, made from
     * the camera's headers; sets the file name and the SHA-256 as headers for the capture log.
     */
    public void write(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        byte[] jpeg = in.getBody(byte[].class);
        SpoolFileName name = new SpoolFileName(in.getHeader(CameraHeaders.CAMERA, String.class),
                in.getHeader(CameraHeaders.SEQUENCE, Long.class), in.getHeader(CameraHeaders.CAPTURE_TIME, Long.class));
        Files.createDirectories(spool);
        DurableFile.write(spool.resolve(name.fileName()), jpeg);
        in.setHeader(Exchange.FILE_NAME, name.fileName());
        in.setHeader(ImageHeaders.SHA256, Sha256.hex(jpeg));
    }
}
