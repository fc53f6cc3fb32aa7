package io.cefiot.ingest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;

/**
 * When ingest may take a spool file. A file that already is a whole JPEG (start- and
 * end-of-image markers in place) is taken at once: the camera publishes its images by an
 * atomic rename, so they appear whole, and the time from capture to safe on the edge cluster
 * must not include a wait. Any other file is taken only once it has been left untouched for
 * {@link #setInPlaceMinAgeMillis in-place minimum age} (1 s): a tool writing a file in place
 * is still writing, and it would otherwise be quarantined half-written. Until then the file is
 * skipped, not waited for, so it never holds back the images behind it.
 *
 * <p>Camel's {@code readLock=changed} with a minimum age sleeps on each young file inside the
 * poll, so every image waited at least a second and a file still being written held up the rest.
 */
public class SpoolReadLock extends MarkerFileExclusiveReadLockStrategy {

    private long inPlaceMinAgeMillis = 1000;

    public void setInPlaceMinAgeMillis(long millis) {
        this.inPlaceMinAgeMillis = millis;
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        File target = new File(file.getAbsoluteFilePath());
        if (!takeable(target)) {
            return false; // looked at again on the next poll
        }
        return super.acquireExclusiveReadLock(operations, file, exchange);
    }

    private boolean takeable(File target) {
        long modified = target.lastModified();
        if (modified == 0) {
            return false; // gone since the listing
        }
        if (System.currentTimeMillis() - modified >= inPlaceMinAgeMillis) {
            return true; // left alone long enough: whole, or to be quarantined whole
        }
        try {
            return JpegMarkers.isWhole(Path.of(target.getPath()));
        } catch (IOException unreadableYet) {
            return false;
        }
    }
}
