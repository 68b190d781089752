package dev.modelcost.processor.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A generated model class before rendering: its {@code @Model} and {@code @Budget} attributes,
 * constants, top-level fields (each on one line, so that a diagnostic's line identifies the field)
 * and nested block classes. Mutations edit a draft; rendering records the line of every tagged line.
 */
public final class ModelDraft {
    static final String PACKAGE = "fuzz";

    /**
     * One top-level field.
     *
     * @param name the field name
     * @param text the whole line: annotations, type, name
     * @param out the shape after this field (without the batch); null for fields that a mutation inserted
     */
    record Field(String name, String text, int[] out) {}

    /** A tagged source line of a nested class; the tag may be null. */
    record Line(String tag, String text) {}

    public final String name;
    int[] input;
    /** Replaces the rendered input array, e.g. "{}", for mutations. */
    String inputText;
    int batch = 1;
    boolean writeBatch;
    String batchText;
    boolean indexed;
    /** The {@code sizes} of {@code @Model}, as written ({@code {"H", "W"}}); null for none. */
    String sizes;
    final List<String> budget = new ArrayList<>();
    final List<String> constants = new ArrayList<>();
    final List<Field> fields = new ArrayList<>();
    final List<List<Line>> blocks = new ArrayList<>();
    /** Type parameters after the class name, e.g. "<T>", for mutations. */
    String typeParameters = "";
    /** Replaces the whole type declaration after the annotations (e.g. "public interface X {}"), for mutations. */
    String declaration;
    /** Top-level lines after the class, for mutations. */
    final List<String> trailer = new ArrayList<>();
    /** The expected figures when the draft is valid. */
    public Reference.Costs expected;

    ModelDraft(String name) {
        this.name = name;
    }

    /** This draft under another name with another input, its layers, blocks and constants the same, without budget or sizes. */
    ModelDraft withInput(String otherName, int[] otherInput) {
        ModelDraft copy = new ModelDraft(otherName);
        copy.input = otherInput.clone();
        copy.batch = batch;
        copy.writeBatch = writeBatch;
        copy.batchText = batchText;
        copy.indexed = indexed;
        copy.constants.addAll(constants);
        copy.fields.addAll(fields);
        copy.blocks.addAll(blocks);
        return copy;
    }

    public String qualifiedName() {
        return PACKAGE + "." + name;
    }

    /** The shape flowing into field {@code index} (the previous field's output, or the model input). */
    int[] shapeBefore(int index) {
        return index == 0 ? input : fields.get(index - 1).out();
    }

    /** The name a field at {@code index} reads from by default. */
    String nameBefore(int index) {
        return index == 0 ? "input" : fields.get(index - 1).name();
    }

    /**
     * The rendered class.
     *
     * @param source the Java source
     * @param lines the line of every tag: "@Model", "@Budget", "field:NAME" and the tags of block lines
     */
    public record Rendered(String source, Map<String, Integer> lines) {
        int line(String tag) {
            Integer line = lines.get(tag);
            if (line == null) {
                throw new IllegalArgumentException("no line tagged " + tag + " in\n" + source);
            }
            return line;
        }
    }

    public Rendered render() {
        List<String> out = new ArrayList<>();
        Map<String, Integer> tags = new HashMap<>();
        out.add("package " + PACKAGE + ";");
        out.add("");
        out.add("import dev.modelcost.*;");
        out.add("");
        List<String> model = new ArrayList<>();
        model.add("input = " + (inputText != null ? inputText
                : "{" + java.util.Arrays.stream(input).mapToObj(String::valueOf).collect(Collectors.joining(", ")) + "}"));
        if (batchText != null) {
            model.add("batch = " + batchText);
        } else if (writeBatch || batch != 1) {
            model.add("batch = " + batch);
        }
        if (indexed) {
            model.add("indexed = true");
        }
        if (sizes != null) {
            model.add("sizes = " + sizes);
        }
        tags.put("@Model", out.size() + 1);
        out.add("@Model(" + String.join(", ", model) + ")");
        if (!budget.isEmpty()) {
            tags.put("@Budget", out.size() + 1);
            out.add("@Budget(" + String.join(", ", budget) + ")");
        }
        if (declaration != null) {
            out.add(declaration);
            out.addAll(trailer);
            return new Rendered(String.join("\n", out) + "\n", tags);
        }
        out.add("public class " + name + typeParameters + " {");
        for (String constant : constants) {
            out.add("    " + constant);
        }
        for (Field field : fields) {
            tags.put("field:" + field.name(), out.size() + 1);
            out.add("    " + field.text());
        }
        for (List<Line> block : blocks) {
            out.add("");
            for (Line line : block) {
                if (line.tag() != null) {
                    tags.put(line.tag(), out.size() + 1);
                }
                out.add("    " + line.text());
            }
        }
        out.add("}");
        out.addAll(trailer);
        return new Rendered(String.join("\n", out) + "\n", tags);
    }
}
