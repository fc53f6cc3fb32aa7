package io.cefiot.camera.component;

import io.cefiot.camera.capture.JpegFrames;
import io.cefiot.camera.source.FrameSource;
import io.cefiot.camera.source.SourceSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A real HTTP MJPEG camera (multipart/x-mixed-replace, as IP cameras serve it) on loopback,
 * looping the frames of a video file at its frame rate. Stopping it drops every open stream.
 */
final class MjpegStreamServer implements AutoCloseable {

    private static final String BOUNDARY = "cefiotframe";

    private final HttpServer server;
    private volatile boolean serving = true;

    private MjpegStreamServer(HttpServer server) {
        this.server = server;
    }

    static List<byte[]> jpegFrames(Path video) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (FrameSource source = FrameSource.open(SourceSpec.parse(video.toString()))) {
            for (Mat frame = source.next(); frame != null; frame = source.next()) {
                frames.add(JpegFrames.encode(frame, 90));
            }
        }
        return frames;
    }

    static MjpegStreamServer start(int port, List<byte[]> frames, int fps) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        MjpegStreamServer stream = new MjpegStreamServer(server);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/stream.mjpg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace;boundary=" + BOUNDARY);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                long next = System.nanoTime();
                for (int i = 0; stream.serving; i = (i + 1) % frames.size()) {
                    byte[] jpeg = frames.get(i);
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    next += 1_000_000_000L / fps;
                    LockSupport.parkNanos(next - System.nanoTime()); // a camera delivers at its frame rate
                }
            } catch (IOException clientGone) {
                // The camera consumer closed the stream.
            }
        });
        server.start();
        return stream;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        serving = false;
        server.stop(0);
    }
}
