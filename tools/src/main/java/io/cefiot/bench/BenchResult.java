package io.cefiot.bench;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One figure of a benchmark run: CEFIoT's value and, where there is one, the reference's
 * value measured in the same run on the same clusters, and their ratio against a goal.
 *
 * @param reference    the reference's value, or NaN when the figure has no reference
 * @param goal         the least acceptable ratio (or, with {@code goalIsCeiling}, the greatest), or NaN
 *                     when there is no ratio goal
 * @param goalIsCeiling whether lower is better (a latency): the ratio must then be at most the goal
 */
record BenchResult(String benchmark, String scenario, String metric, String unit, double ours, String referenceName,
                   double reference, double goal, boolean goalIsCeiling) {

    static BenchResult compared(String benchmark, String scenario, String metric, String unit, double ours,
                                String referenceName, double reference, double goal) {
        return new BenchResult(benchmark, scenario, metric, unit, ours, referenceName, reference, goal, false);
    }

    /** A figure where lower is better: ours divided by the reference's must be at most {@code goal} (NaN: no goal). */
    static BenchResult comparedAtMost(String benchmark, String scenario, String metric, String unit, double ours,
                                      String referenceName, double reference, double goal) {
        return new BenchResult(benchmark, scenario, metric, unit, ours, referenceName, reference, goal, true);
    }

    static BenchResult alone(String benchmark, String scenario, String metric, String unit, double ours) {
        return new BenchResult(benchmark, scenario, metric, unit, ours, "", Double.NaN, Double.NaN, false);
    }

    OptionalDouble ratio() {
        return Double.isNaN(reference) || reference == 0 ? OptionalDouble.empty() : OptionalDouble.of(ours / reference);
    }

    boolean hasGoal() {
        return !Double.isNaN(goal);
    }

    /** "yes"/"NO" against the goal, or "" without one. */
    String meetsGoal() {
        if (!hasGoal() || ratio().isEmpty()) {
            return "";
        }
        double ratio = ratio().getAsDouble();
        return (goalIsCeiling ? ratio <= goal : ratio >= goal) ? "yes" : "NO";
    }

    String csvLine() {
        return String.join(",", benchmark, quote(scenario), quote(metric), unit, number(ours), quote(referenceName),
                number(reference), ratio().isPresent() ? String.format(Locale.ROOT, "%.3f", ratio().getAsDouble()) : "",
                hasGoal() ? String.format(Locale.ROOT, "%.2f", goal) : "", meetsGoal());
    }

    static String csvHeader() {
        return "benchmark,scenario,metric,unit,cefiot,reference,reference_value,ratio,goal,meets_goal";
    }

    String markdownLine() {
        return "| " + String.join(" | ", benchmark, scenario, metric + " (" + unit + ")", readable(ours),
                referenceName.isEmpty() ? "" : referenceName + ": " + readable(reference),
                ratio().isPresent() ? String.format(Locale.ROOT, "%.2f", ratio().getAsDouble()) : "",
                hasGoal() ? String.format(Locale.ROOT, "%s %.1f %s", goalIsCeiling ? "≤" : "≥", goal, meetsGoal()) : "") + " |";
    }

    static String markdownHeader() {
        return "| benchmark | scenario | metric | CEFIoT | reference | ratio | goal |\n|---|---|---|---|---|---|---|";
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String readable(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String quote(String text) {
        return text.contains(",") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
