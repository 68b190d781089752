package dev.modelcost.processor.write;

import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.roofline.KindBound;
import dev.modelcost.processor.roofline.Seconds;
import java.util.List;

/**
 * The HTML report's roofline chart, as self-contained SVG: attainable FLOP/s against arithmetic
 * intensity on log–log axes, the profile's roof for each dtype the model computes in, and one
 * point per layer kind at the rate its layers reach under the bound, sized by their share of it.
 */
final class RooflineChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private RooflineChart() {}

    static void render(StringBuilder html, Bound bound) {
        List<KindBound> kinds = bound.kinds().stream().filter(k -> k.seconds() > 0 && k.flops() > 0).toList();
        if (kinds.isEmpty() || bound.dtypes().isEmpty()) {
            return;
        }
        double bandwidth = bound.hardware().bandwidth() * bound.efficiency();
        double top = 0;
        for (String dtype : bound.dtypes()) {
            top = Math.max(top, bound.hardware().peak(dtype).getAsDouble() * bound.efficiency());
        }
        double minX = Double.MAX_VALUE;
        double maxX = top / bandwidth;
        double minY = top;
        for (KindBound kind : kinds) {
            minX = Math.min(minX, kind.intensity());
            maxX = Math.max(maxX, kind.intensity());
            minY = Math.min(minY, (double) kind.flops() / kind.seconds());
        }
        int x0 = (int) StrictMath.floor(StrictMath.log10(minX));
        int x1 = (int) StrictMath.ceil(StrictMath.log10(maxX * 2));
        int y0 = (int) StrictMath.floor(StrictMath.log10(minY));
        int y1 = (int) StrictMath.ceil(StrictMath.log10(top * 1.5));
        Axes axes = new Axes(x0, Math.max(x1, x0 + 1), y0, Math.max(y1, y0 + 1));
        // With its own font, so that the chart (namespaced) is also an .svg file on its own.
        html.append("<svg font-family=\"sans-serif\" font-size=\"12\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"Roofline on ").append(HtmlReport.escape(bound.hardware().name())).append("\">\n");
        html.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(WIDTH - LEFT - RIGHT).append("\" height=\"")
                .append(HEIGHT - TOP - BOTTOM).append("\" fill=\"none\" stroke=\"#bbb\"/>\n");
        for (int e = axes.x0; e <= axes.x1; e++) {
            int x = axes.x(StrictMath.pow(10, e));
            html.append("<line x1=\"").append(x).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" x2=\"").append(x).append("\" y2=\"")
                    .append(HEIGHT - BOTTOM + 5).append("\" stroke=\"#888\"/><text x=\"").append(x - 12).append("\" y=\"").append(HEIGHT - BOTTOM + 18)
                    .append("\">1e").append(e).append("</text>\n");
        }
        for (int e = axes.y0; e <= axes.y1; e++) {
            int y = axes.y(StrictMath.pow(10, e));
            html.append("<line x1=\"").append(LEFT - 5).append("\" y1=\"").append(y).append("\" x2=\"").append(LEFT).append("\" y2=\"").append(y)
                    .append("\" stroke=\"#888\"/><text x=\"").append(LEFT - 48).append("\" y=\"").append(y + 4).append("\">1e").append(e).append("</text>\n");
        }
        html.append("<text x=\"").append(LEFT + 180).append("\" y=\"").append(HEIGHT - 8)
                .append("\">arithmetic intensity (FLOPs per byte moved)</text>\n<text x=\"12\" y=\"").append(TOP + 200)
                .append("\" transform=\"rotate(-90 12 ").append(TOP + 200).append(")\">FLOP/s at the bound</text>\n");
        for (String dtype : bound.dtypes()) {
            double peak = bound.hardware().peak(dtype).getAsDouble() * bound.efficiency();
            // the sloped part starts where it enters the plot: at the left edge, or where it crosses the bottom
            double lo = Math.max(StrictMath.pow(10, axes.x0), StrictMath.pow(10, axes.y0) / bandwidth);
            double hi = StrictMath.pow(10, axes.x1);
            double ridge = peak / bandwidth;
            html.append("<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"");
            html.append(axes.x(lo)).append(',').append(axes.y(Math.min(peak, lo * bandwidth))).append(' ');
            if (ridge > lo && ridge < hi) {
                html.append(axes.x(ridge)).append(',').append(axes.y(peak)).append(' ');
            }
            html.append(axes.x(hi)).append(',').append(axes.y(Math.min(peak, hi * bandwidth))).append("\"><title>").append(dtype).append(" roof: ")
                    .append(Seconds.significant(peak / 1e12)).append(" TFLOP/s, ").append(Seconds.significant(bandwidth / 1e9))
                    .append(" GB/s</title></polyline>\n");
            // the roof's label ends where the flat part begins, above it
            int labelEnd = ridge > lo && ridge < hi ? axes.x(ridge) - 4 : WIDTH - RIGHT - 4;
            html.append("<text x=\"").append(labelEnd).append("\" y=\"").append(axes.y(peak) - 6)
                    .append("\" text-anchor=\"end\" fill=\"#c0392b\">").append(dtype).append(' ').append(Seconds.significant(peak / 1e12))
                    .append(" TFLOP/s</text>\n");
        }
        List<int[]> labels = new java.util.ArrayList<>();
        for (KindBound kind : kinds) {
            int x = axes.x(kind.intensity());
            int y = axes.y((double) kind.flops() / kind.seconds());
            long radius = Math.max(3, Math.round(18 * StrictMath.sqrt(kind.seconds() / bound.seconds())));
            int labelX = (int) (x + radius + 3);
            int labelY = free(labels, labelX, y + 4, 7 * kind.kind().length());
            html.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"").append(radius)
                    .append("\" fill=\"#3b6fb6\" fill-opacity=\"0.6\"><title>").append(HtmlReport.escape(kind.kind())).append(" \u00d7")
                    .append(Numbers.grouped(kind.times())).append(": ").append(Seconds.significant(kind.intensity())).append(" FLOPs/byte, ")
                    .append(Seconds.of(kind.seconds())).append(" (").append(Seconds.percent(kind.seconds(), bound.seconds())).append("%), ")
                    .append(kind.limits()).append("</title></circle><text x=\"").append(labelX).append("\" y=\"").append(labelY)
                    .append("\">").append(HtmlReport.escape(kind.kind())).append("</text>\n");
        }
        html.append("</svg>\n");
    }

    /**
     * The baseline nearest {@code y} at which a label of {@code width} pixels from {@code x} overlaps
     * none of {@code placed} (left, baseline, right), which it joins.
     */
    private static int free(List<int[]> placed, int x, int y, int width) {
        for (int step = 0; ; step++) {
            int candidate = y + (step % 2 == 0 ? 1 : -1) * ((step + 1) / 2) * 13;
            boolean clear = placed.stream().noneMatch(p -> x < p[2] && p[0] < x + width && Math.abs(p[1] - candidate) < 13);
            if (clear || step > 20) {
                placed.add(new int[] {x, candidate, x + width});
                return candidate;
            }
        }
    }

    /** Log–log axes from 10^x0 to 10^x1 and 10^y0 to 10^y1, mapped to whole pixels. */
    private record Axes(int x0, int x1, int y0, int y1) {
        int x(double value) {
            double at = (StrictMath.log10(value) - x0) / (x1 - x0);
            return (int) Math.round(LEFT + at * (WIDTH - LEFT - RIGHT));
        }

        int y(double value) {
            double at = (StrictMath.log10(value) - y0) / (y1 - y0);
            return (int) Math.round(HEIGHT - BOTTOM - at * (HEIGHT - TOP - BOTTOM));
        }
    }
}
