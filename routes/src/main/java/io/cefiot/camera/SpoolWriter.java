package io.cefiot.camera;

import io.cefiot.files.DurableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;

/**
 * Puts a captured image into the spool whole or not at all ({@link DurableFile}). Camel's file
 * producer can leave a cut-short image behind when the disk fills mid-write; this fails
 * instead, and the camera route holds the image and retries.
 */
public class SpoolWriter {

    private final Path spool;

    public SpoolWriter(Path spool) {
        this.spool = spool;
    }

    public void write(Exchange exchange) throws IOException {
        Files.createDirectories(spool);
        DurableFile.write(spool.resolve(exchange.getIn().getHeader(Exchange.FILE_NAME, String.class)),
                exchange.getIn().getBody(byte[].class));
    }
}
