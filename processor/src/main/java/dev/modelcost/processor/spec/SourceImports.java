package dev.modelcost.processor.spec;

import com.sun.source.tree.ImportTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;

/**
 * The type imports of a class's source file, as javac's tree API shows them to a processor: none
 * under another compiler (Eclipse's), where javac's environment is wrapped by a build tool, or for a
 * class read from a class file, which keeps no imports.
 */
final class SourceImports {
    /** Javac's trees, or null where the compiler is another. */
    private final Trees trees;

    private SourceImports(Trees trees) {
        this.trees = trees;
    }

    /** The imports javac can show for {@code environment}, or none where it is not javac's. */
    static SourceImports of(ProcessingEnvironment environment) {
        try {
            return new SourceImports(Trees.instance(environment));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return new SourceImports(null);
        }
    }

    /**
     * The non-static imports of the file that declares {@code type}, each as written ({@code acme.Sizes},
     * {@code acme.*}), in order; null where they cannot be seen.
     */
    List<String> of(TypeElement type) {
        if (trees == null) {
            return null;
        }
        TreePath path;
        try {
            path = trees.getPath(type);
        } catch (IllegalArgumentException notFromThisCompilation) {
            return null;
        }
        if (path == null) {
            return null;
        }
        List<String> imports = new ArrayList<>();
        for (ImportTree declaration : path.getCompilationUnit().getImports()) {
            if (!declaration.isStatic()) {
                imports.add(declaration.getQualifiedIdentifier().toString());
            }
        }
        return imports;
    }
}
