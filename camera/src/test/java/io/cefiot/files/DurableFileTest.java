package io.cefiot.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers of one file, as two archive replicas given the same record: whatever the order,
 * the file is one writer's bytes whole, never a mix or a half, and neither write fails.
 */
class DurableFileTest {

    @TempDir
    Path dir;

    @Test
    void should_leave_one_writers_whole_bytes_when_two_write_the_same_file_at_once() throws Exception {
        byte[] first = new byte[1 << 20];
        byte[] second = new byte[1 << 20];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        Path target = dir.resolve("000000000042.jpg");
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> writes = new ArrayList<>();
                for (byte[] bytes : List.of(first, second)) {
                    writes.add(writers.submit(() -> {
                        together.await();
                        DurableFile.write(target, bytes);
                        return null;
                    }));
                }
                for (Future<?> write : writes) {
                    write.get(); // a write that failed throws here
                }
                byte[] written = Files.readAllBytes(target);
                assertThat(Arrays.equals(written, first) || Arrays.equals(written, second))
                        .as("round %d: the file holds one writer's bytes whole (%d bytes)", round, written.length).isTrue();
            }
        } finally {
            writers.shutdownNow();
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("000000000042.jpg");
        }
    }
}
