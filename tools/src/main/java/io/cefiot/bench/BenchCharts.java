package io.cefiot.bench;

import io.cefiot.bench.FlowBenchmark.DrainSample;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmark's pictures: the ratios against their goals, and the drain across an outage. */
final class BenchCharts {

    private BenchCharts() {
    }

    /** One bar per compared figure that has a goal: CEFIoT's ratio to the reference, beside the goal. */
    static void ratios(List<BenchResult> results, Path png) throws IOException {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (BenchResult r : results) {
            if (r.hasGoal() && !r.goalIsCeiling() && r.ratio().isPresent()) {
                String category = r.benchmark() + " " + r.scenario().split(";")[0] + " " + r.metric();
                dataset.addValue(r.ratio().getAsDouble(), "CEFIoT / reference", category);
                dataset.addValue(r.goal(), "goal", category);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("CEFIoT against the reference, same run, same clusters", null,
                "ratio (higher is better)", dataset, PlotOrientation.HORIZONTAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 520);
    }

    /** p99 time to safety against the camera rate: ours to the edge and to the cloud, beside Kafka's own tools on the same paths. */
    static void latencyByRate(List<RateLatencyBenchmark.Figures> figures, Path png) throws IOException {
        XYSeries cloud = new XYSeries("CEFIoT capture to cloud (committed), p99");
        XYSeries mirror = new XYSeries("MirrorMaker 2 produce to cloud, p99");
        XYSeries edge = new XYSeries("CEFIoT capture to edge (acks=all), p99");
        XYSeries endToEnd = new XYSeries("EndToEndLatency produce to consume (edge), p99");
        for (RateLatencyBenchmark.Figures f : figures) {
            if (f.rate().burst()) {
                continue; // no rate to place it at; it is in the table
            }
            cloud.add(f.rate().perSecond(), f.cloudP99());
            mirror.add(f.rate().perSecond(), f.mirrorMakerP99());
            edge.add(f.rate().perSecond(), f.edgeP99());
            endToEnd.add(f.rate().perSecond(), f.endToEndP99());
        }
        XYSeriesCollection series = new XYSeriesCollection();
        series.addSeries(cloud);
        series.addSeries(mirror);
        series.addSeries(edge);
        series.addSeries(endToEnd);
        JFreeChart chart = ChartFactory.createXYLineChart("Time to safety by camera rate (lower is better)", "images per second",
                "ms", series, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        LogarithmicAxis rateAxis = new LogarithmicAxis("images per second (log scale)");
        rateAxis.setAllowNegativesFlag(false);
        rateAxis.setStrictValuesFlag(false);
        plot.setDomainAxis(rateAxis);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 520);
    }

    /** Throughput to the cloud and the bytes on the link (left), and the backlog at the edge (right), over time. */
    static void drain(List<DrainSample> samples, int kbit, Path png) throws IOException {
        XYSeries goodput = new XYSeries("data reaching the cloud (Mbit/s)");
        XYSeries wire = new XYSeries("bytes on the link (Mbit/s)");
        XYSeries limit = new XYSeries("link limit (Mbit/s)");
        XYSeries backlog = new XYSeries("images waiting at the edge");
        double cutFrom = Double.NaN;
        double cutTo = Double.NaN;
        for (DrainSample s : samples) {
            goodput.add(s.atSeconds(), s.goodputMbit());
            if (!Double.isNaN(s.wireMbit())) {
                wire.add(s.atSeconds(), s.wireMbit());
            }
            if (s.phase().equals("drain")) {
                limit.add(s.atSeconds(), kbit / 1000.0);
            }
            backlog.add(s.atSeconds(), s.backlog());
            if (s.phase().equals("cut")) {
                cutFrom = Double.isNaN(cutFrom) ? s.atSeconds() - 1 : cutFrom;
                cutTo = s.atSeconds();
            }
        }
        XYSeriesCollection rates = new XYSeriesCollection();
        rates.addSeries(goodput);
        rates.addSeries(wire);
        rates.addSeries(limit);
        JFreeChart chart = ChartFactory.createXYLineChart("Drain after a link outage", "seconds", "Mbit/s", rates,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis backlogAxis = new NumberAxis("images waiting at the edge");
        plot.setRangeAxis(1, backlogAxis);
        plot.setDataset(1, new XYSeriesCollection(backlog));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer backlogRenderer = new XYLineAndShapeRenderer(true, false);
        backlogRenderer.setSeriesPaint(0, new Color(200, 60, 40));
        backlogRenderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(1, backlogRenderer);
        if (!Double.isNaN(cutFrom)) {
            IntervalMarker outage = new IntervalMarker(cutFrom, cutTo, new Color(120, 120, 120, 60));
            outage.setLabel("link down");
            plot.addDomainMarker(outage);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 520);
    }
}
