package io.cefiot.bench;

import io.cefiot.bench.FlowBenchmark.DrainSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the drain samples say: how fully the drain used the limited link, and how long it took. */
final class DrainFigures {

    private DrainFigures() {
    }

    static List<BenchResult> of(List<DrainSample> samples, int kbit, long outageSeconds) {
        List<DrainSample> drain = samples.stream().filter(s -> s.phase().equals("drain")).toList();
        if (drain.isEmpty()) {
            return List.of();
        }
        long threshold = samples.stream().filter(s -> s.phase().equals("steady")).mapToLong(DrainSample::backlog).max().orElse(0);
        double restoredAt = samples.get(samples.indexOf(drain.get(0)) - 1).atSeconds();
        // The seconds that ended with a backlog still waiting: the link had work the whole second.
        List<DrainSample> busy = drain.stream().filter(s -> s.backlog() > Math.max(threshold, 10)).toList();
        List<DrainSample> fromFirstByte = new ArrayList<>();
        for (DrainSample s : busy) {
            if (!fromFirstByte.isEmpty() || s.goodputMbit() > 0) {
                fromFirstByte.add(s);
            }
        }
        double linkMbit = kbit / 1000.0;
        double drainedAt = drain.get(drain.size() - 1).atSeconds();
        double firstByteAfter = fromFirstByte.isEmpty() ? Double.NaN : fromFirstByte.get(0).atSeconds() - 1 - restoredAt;
        long peak = samples.stream().mapToLong(DrainSample::backlog).max().orElse(0);
        String scenario = String.format(Locale.ROOT, "link cut %d s under camera traffic; then back at %.0f Mbit/s (tbf)",
                outageSeconds, linkMbit);
        List<BenchResult> results = new ArrayList<>();
        results.add(BenchResult.compared("drain", scenario, "data to the cloud while a backlog waits", "Mbit/s",
                mean(fromFirstByte, false), "link rate", linkMbit, 0.9));
        results.add(BenchResult.compared("drain", scenario, "bytes on the link while a backlog waits (all headers)", "Mbit/s",
                mean(fromFirstByte, true), "link rate", linkMbit, Double.NaN));
        results.add(BenchResult.compared("drain", scenario, "data to the cloud from the link's return until drained", "Mbit/s",
                mean(drain, false), "link rate", linkMbit, Double.NaN));
        results.add(BenchResult.alone("drain", scenario, "from the link's return to the first byte in the cloud", "s", firstByteAfter));
        results.add(BenchResult.alone("drain", scenario, "from the link's return until drained", "s", drainedAt - restoredAt));
        results.add(BenchResult.alone("drain", scenario, "backlog at its peak", "records", peak));
        return results;
    }

    private static double mean(List<DrainSample> samples, boolean wire) {
        return samples.stream().mapToDouble(s -> wire ? s.wireMbit() : s.goodputMbit()).average().orElse(Double.NaN);
    }
}
