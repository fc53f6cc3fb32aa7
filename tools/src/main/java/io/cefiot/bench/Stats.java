package io.cefiot.bench;

import java.util.List;

/** Medians and percentiles of measured values (nearest rank). */
final class Stats {

    private Stats() {
    }

    static double median(List<? extends Number> values) {
        return percentile(values, 50);
    }

    static double percentile(List<? extends Number> values, double percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double max(List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }
}
