package io.cefiot.camera.source;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg writes warnings straight to stderr (a line per frame for some pixel formats). The camera
 * reports failures through exceptions with their reasons, so FFmpeg is kept to errors.
 */
public final class FfmpegLog {

    private static volatile boolean quiet;

    private FfmpegLog() {
    }

    public static void errorsOnly() {
        if (!quiet) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            quiet = true;
        }
    }
}
