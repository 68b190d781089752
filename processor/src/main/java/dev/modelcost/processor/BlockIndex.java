package dev.modelcost.processor;

import dev.modelcost.processor.spec.ResourceNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Which models use each block, kept in the class output from one build to the next
 * ({@code META-INF/modelcost/users/<block>.models}, a model's qualified name a line), so that a
 * block compiled without the models that use it — a build that recompiles only changed files —
 * has those models analysed again instead of leaving their Cost classes stale and their budgets
 * unchecked.
 */
final class BlockIndex {
    static final String FOLDER = "META-INF/modelcost/users/";

    private final Filer filer;
    /** The models of this compilation that use each block. */
    private final Map<String, Set<String>> users = new TreeMap<>();
    /** What earlier builds recorded, read once per block. */
    private final Map<String, List<String>> earlier = new HashMap<>();

    BlockIndex(Filer filer) {
        this.filer = filer;
    }

    /** Notes that a model of this compilation uses a block. */
    void uses(String block, String model) {
        users.computeIfAbsent(block, b -> new TreeSet<>()).add(model);
    }

    /** The models that earlier builds recorded as users of a block. */
    List<String> earlierUsers(String block) {
        return earlier.computeIfAbsent(block, this::read);
    }

    /**
     * Writes each block's users: those of this compilation and those recorded before, less the
     * names that are no longer models; {@code block} finds a block's element. Called once, when processing is over.
     */
    void write(Predicate<String> stillAModel, java.util.function.Function<String, javax.lang.model.element.Element> block) throws IOException {
        for (Map.Entry<String, Set<String>> entry : users.entrySet()) {
            Set<String> all = new TreeSet<>(entry.getValue());
            earlierUsers(entry.getKey()).stream().filter(stillAModel).forEach(all::add);
            // The block is the file's one originating element, as Gradle's isolating processors need.
            javax.lang.model.element.Element origin = block.apply(entry.getKey());
            FileObject file = origin == null
                    ? filer.createResource(StandardLocation.CLASS_OUTPUT, "", FOLDER + ResourceNames.of(entry.getKey()) + ".models")
                    : filer.createResource(StandardLocation.CLASS_OUTPUT, "", FOLDER + ResourceNames.of(entry.getKey()) + ".models", origin);
            try (OutputStream out = file.openOutputStream()) {
                out.write((String.join("\n", all) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private List<String> read(String block) {
        // The class output holds the earlier build's output; the class path, in a Maven build, the same folder.
        for (StandardLocation location : List.of(StandardLocation.CLASS_OUTPUT, StandardLocation.CLASS_PATH)) {
            try (InputStream in = filer.getResource(location, "", FOLDER + ResourceNames.of(block) + ".models").openInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
            } catch (IOException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
                // Not there, or a Filer that cannot read this location: try the next one.
            }
        }
        return new ArrayList<>();
    }
}
