package dev.modelcost.processor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Whether a generated class may carry {@code @javax.annotation.processing.Generated}: that type is in module
 * {@code java.compiler}, which a class in the unnamed module reads, and one in a named module only where its module reads it
 * (requires it, or requires a module that requires it transitively, as {@code java.se} does).
 */
final class GeneratedMark {
    private static final String MODULE = "java.compiler";

    private GeneratedMark() {}

    /** Whether the module of {@code type} reads {@code java.compiler}. */
    static boolean visibleFrom(Elements elements, TypeElement type) {
        ModuleElement module = elements.getModuleOf(type);
        if (module == null || module.isUnnamed()) {
            return true;
        }
        // the modules read: each one required, and those they require transitively
        Deque<ModuleElement> toVisit = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (ModuleElement.RequiresDirective requires : ElementFilter.requiresIn(module.getDirectives())) {
            toVisit.add(requires.getDependency());
        }
        while (!toVisit.isEmpty()) {
            ModuleElement read = toVisit.poll();
            String name = read.getQualifiedName().toString();
            if (name.equals(MODULE)) {
                return true;
            }
            if (seen.add(name)) {
                for (ModuleElement.RequiresDirective requires : ElementFilter.requiresIn(read.getDirectives())) {
                    if (requires.isTransitive()) {
                        toVisit.add(requires.getDependency());
                    }
                }
            }
        }
        return false;
    }
}
