package io.homeostat.topology;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/** A Mermaid flowchart of a topology description: sub-topologies, processors, stores and topics. */
public final class TopologyDiagram {
    private TopologyDiagram() {}

    public static String mermaid(TopologyDescription description) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Set<String> topics = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        Set<String> edges = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            out.append("  subgraph sub").append(sub.id()).append(" [\"sub-topology ").append(sub.id()).append("\"]\n");
            for (TopologyDescription.Node node : sub.nodes()) {
                out.append("    ").append(id(node.name())).append("[\"").append(node.name()).append("\"]\n");
                for (TopologyDescription.Node successor : node.successors()) {
                    edges.add(id(node.name()) + " --> " + id(successor.name()));
                }
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    for (String topic : source.topicSet()) {
                        topics.add(topic);
                        edges.add(topicId(topic) + " --> " + id(node.name()));
                    }
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topics.add(sink.topic());
                    edges.add(id(node.name()) + " --> " + topicId(sink.topic()));
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    for (String store : processor.stores()) {
                        stores.add(store);
                        edges.add(id(node.name()) + " -.- " + storeId(store));
                    }
                }
            }
            out.append("  end\n");
        }
        for (String topic : topics) out.append("  ").append(topicId(topic)).append("[/\"").append(topic).append("\"/]\n");
        for (String store : stores) out.append("  ").append(storeId(store)).append("[(\"").append(store).append("\")]\n");
        for (String edge : edges) out.append("  ").append(edge).append('\n');
        return out.toString();
    }

    private static String id(String name) {
        return "n_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String topicId(String topic) {
        return "t_" + topic.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String storeId(String store) {
        return "s_" + store.replaceAll("[^A-Za-z0-9]", "_");
    }
}
