package graphmodel.gephi;

import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.gephi.graph.api.Column;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Interval;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.importer.api.Report;
import org.gephi.io.importer.spi.FileImporter;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

/**
 * Imports a GEXF file the way Gephi does (its GEXF importer, then its default
 * processor into a new workspace) and prints ONE JSON line describing the result:
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' graphmodel.gephi.GexfCheck FILE.gexf [NODE_ID ...]
 * </pre>
 *
 * Keys: importer, nodes, edges, directed, issues [{level, message}] (from the
 * importer's and the processor's reports), time_format, time_bounds [low, high]
 * (ISO dates, UTC; [null, null] when nothing has a date), node_columns (titles),
 * and under "asked", for every NODE_ID: {color: [r, g, b], intervals: [[start, end], ...]}
 * (an open end is null), or null when Gephi has no such node.
 */
public final class GexfCheck {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GexfCheck FILE.gexf [NODE_ID ...]");
            System.exit(2);
        }
        File file = new File(args[0]);

        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();

        ImportController imports = Lookup.getDefault().lookup(ImportController.class);
        FileImporter importer = imports.getFileImporter(".gexf");
        Container container = imports.importFile(file, importer);
        if (container == null) {
            throw new IllegalStateException("Gephi's importer returned no container for " + file);
        }
        // the importer's issues, read before processing (afterwards the container's report is empty)
        List<Issue> issues = new ArrayList<>(container.getReport().getIssuesList(Integer.MAX_VALUE));
        DefaultProcessor processor = new DefaultProcessor();
        imports.process(container, processor, workspace);
        Report processed = processor.getReport();
        if (processed != null) {
            issues.addAll(processed.getIssuesList(Integer.MAX_VALUE));
        }

        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        Interval bounds = model.getTimeBounds();

        StringJoiner out = new StringJoiner(", ", "{", "}");
        out.add(q("importer") + ": " + q(importer.getClass().getName()));
        out.add(q("nodes") + ": " + model.getGraph().getNodeCount());
        out.add(q("edges") + ": " + model.getGraph().getEdgeCount());
        out.add(q("directed") + ": " + model.isDirected());
        StringJoiner issueList = new StringJoiner(", ", "[", "]");
        for (Issue issue : issues) {
            issueList.add("{" + q("level") + ": " + q(issue.getLevel().name()) + ", " + q("message") + ": " + q(issue.getMessage()) + "}");
        }
        out.add(q("issues") + ": " + issueList);
        out.add(q("time_format") + ": " + q(model.getTimeFormat().name()));
        out.add(q("time_bounds") + ": " + (bounds == null ? "null" : interval(bounds)));
        StringJoiner columns = new StringJoiner(", ", "[", "]");
        for (Column column : model.getNodeTable()) {
            columns.add(q(column.getTitle()));
        }
        out.add(q("node_columns") + ": " + columns);
        StringJoiner asked = new StringJoiner(", ", "{", "}");
        for (int i = 1; i < args.length; i++) {
            Node node = model.getGraph().getNode(args[i]);
            asked.add(q(args[i]) + ": " + (node == null ? "null" : node(node)));
        }
        out.add(q("asked") + ": " + asked);
        System.out.println(out);
        System.exit(0); // Gephi leaves non-daemon threads behind
    }

    private static String node(Node node) {
        StringJoiner intervals = new StringJoiner(", ", "[", "]");
        for (Interval iv : node.getIntervals()) {
            intervals.add(interval(iv));
        }
        return "{" + q("color") + ": [" + node.getColor().getRed() + ", " + node.getColor().getGreen() + ", "
                + node.getColor().getBlue() + "], " + q("intervals") + ": " + intervals + "}";
    }

    /** [low, high] as ISO dates (timeformat="date": milliseconds since the epoch, UTC); null for an open end. */
    private static String interval(Interval iv) {
        return "[" + q(date(iv.getLow())) + ", " + q(date(iv.getHigh())) + "]";
    }

    private static String date(double millis) {
        if (Double.isInfinite(millis)) {
            return null;
        }
        return Instant.ofEpochMilli((long) millis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** A JSON string literal. */
    private static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    private GexfCheck() {
    }
}
