package vn.ehealth.fhir.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link ScaleRun}'s chart: a plain SVG of each query's p50 against the step, ingest and export rates under the axis. */
final class ScaleChart {

	private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

	private ScaleChart() {}

	static String svg(List<ScaleRun.Step> steps) {
		int width = 900;
		int height = 460;
		int left = 60;
		int right = 330;
		int top = 30;
		int bottom = 80;
		int plotW = width - left - right;
		int plotH = height - top - bottom;
		Map<String, double[]> series = new LinkedHashMap<>();
		for (int i = 0; i < steps.size(); i++) {
			Map<String, double[]> all = new LinkedHashMap<>(steps.get(i).searches());
			all.putAll(steps.get(i).records());
			for (Map.Entry<String, double[]> e : all.entrySet()) {
				series.computeIfAbsent(e.getKey(), k -> new double[steps.size()])[i] = e.getValue()[0];
			}
		}
		double maxMs = Math.max(1, series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1));
		maxMs = Math.ceil(maxMs / 10) * 10;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">p50 (ms) as data grows — VietFHIR, %d cores</text>%n",
				left, Runtime.getRuntime().availableProcessors()));
		line(svg, left, top + plotH, left + plotW, top + plotH, "black");
		line(svg, left, top, left, top + plotH, "black");
		for (int i = 0; i <= 4; i++) {
			int y = top + plotH - (int) (plotH * i / 4.0);
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n", left - 5, y + 4, maxMs * i / 4));
			line(svg, left, y, left + plotW, y, "#ddd");
		}
		for (int i = 0; i < steps.size(); i++) {
			ScaleRun.Step s = steps.get(i);
			int x = x(i, steps.size(), left, plotW);
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d× (%d resources)</text>%n", x, top + plotH + 16, s.scale(), s.resources()));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">REST %.0f/s, $import %.0f/s</text>%n", x, top + plotH + 32,
					s.rest().perSecond(), s.bulkImport().perSecond()));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">$export %.0f/s, %.0f B/resource</text>%n", x, top + plotH + 48,
					s.exportPerSecond(), s.bytesPerResource()));
		}
		int index = 0;
		for (Map.Entry<String, double[]> e : series.entrySet()) {
			String colour = COLOURS[index % COLOURS.length];
			StringBuilder points = new StringBuilder();
			for (int i = 0; i < steps.size(); i++) {
				points.append(x(i, steps.size(), left, plotW)).append(',').append(top + plotH - (int) (plotH * e.getValue()[i] / maxMs)).append(' ');
			}
			svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour, points.toString().trim()));
			int ly = top + 10 + index * 16;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", left + plotW + 10, ly - 9, colour));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left + plotW + 25, ly,
					e.getKey().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
			index++;
		}
		return svg.append("</svg>\n").toString();
	}

	private static int x(int i, int count, int left, int plotW) {
		return left + (count == 1 ? plotW / 2 : plotW * i / (count - 1));
	}

	private static void line(StringBuilder svg, int x1, int y1, int x2, int y2, String colour) {
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>%n", x1, y1, x2, y2, colour));
	}
}
