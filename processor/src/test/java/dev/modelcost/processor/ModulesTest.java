package dev.modelcost.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.fuzz.ToolCompile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model in a named module (a project with {@code module-info.java}) gets a Cost class that compiles there. */
class ModulesTest {
    private static final String MODEL = """
            package com.acme;

            import dev.modelcost.*;

            @Model(input = {16}, layout = "L", sizes = "L")
            public class Tiny {
                @Linear(out = 4) Layer fc;
            }
            """;

    @Test
    void aModuleThatDoesNotReadJavaCompilerGetsNoGeneratedAnnotation(@TempDir Path dir) throws IOException {
        // javax.annotation.processing.Generated is in module java.compiler, which com.acme does not read: naming it would not compile.
        ToolCompile.Result result = compile(dir, "module com.acme {\n    requires dev.modelcost;\n}\n");
        assertTrue(result.errors().isEmpty(), result.output());
        String cost = result.generated().get("com/acme/TinyCost.java");
        assertFalse(cost.contains("Generated"), cost);
        // 16 x 4 multiply-adds
        assertTrue(cost.contains("MACS = 64L;"), cost);
    }

    @Test
    void aModuleThatReadsJavaCompilerGetsIt(@TempDir Path dir) throws IOException {
        ToolCompile.Result result = compile(dir, "module com.acme {\n    requires dev.modelcost;\n    requires static java.compiler;\n}\n");
        assertTrue(result.errors().isEmpty(), result.output());
        assertTrue(result.generated().get("com/acme/TinyCost.java").contains("@Generated(\"dev.modelcost.processor.ModelCostProcessor\")"));
        // java.se requires java.compiler transitively
        ToolCompile.Result se = compile(dir, "module com.acme {\n    requires dev.modelcost;\n    requires java.se;\n}\n");
        assertTrue(se.errors().isEmpty(), se.output());
        assertTrue(se.generated().get("com/acme/TinyCost.java").contains("@Generated("));
    }

    @Test
    void aModuleThatExportsItsModelsBuildsWithoutWarningsWhereItRequiresBothTransitively(@TempDir Path dir) throws IOException {
        // A Cost class's public constants name dev.modelcost's types, and its @Generated java.compiler's: an exported package passes
        // both modules on, or javac's [exports] lint warns (the model's own @Model too, with a plain requires).
        String module = "module com.acme {\n    requires transitive dev.modelcost;\n    requires static transitive java.compiler;\n"
                + "    exports com.acme;\n}\n";
        // (the model's class itself has no constructor, which the lint's missing-explicit-ctor would tell of in an exported package)
        ToolCompile.Result clean = compile(dir, module, "-Xlint:all,-missing-explicit-ctor", "-Werror");
        assertTrue(clean.diagnostics().stream().noneMatch(d -> d.kind() == javax.tools.Diagnostic.Kind.WARNING
                || d.kind() == javax.tools.Diagnostic.Kind.MANDATORY_WARNING || d.kind() == javax.tools.Diagnostic.Kind.ERROR), clean.output()
                + clean.diagnostics());
        assertTrue(clean.generated().get("com/acme/TinyCost.java").contains("@Generated("));
        ToolCompile.Result plain = compile(dir, module.replace("requires transitive dev.modelcost", "requires dev.modelcost"), "-Xlint:all");
        assertTrue(plain.diagnostics().stream().anyMatch(d -> d.message().contains("LayerCost in module dev.modelcost is not indirectly exported")),
                plain.diagnostics().toString());
    }

    private static ToolCompile.Result compile(Path dir, String moduleInfo, String... options) throws IOException {
        Path jar = annotationsJar(dir);
        List<String> all = new java.util.ArrayList<>(List.of("--module-path", jar.toString()));
        all.addAll(List.of(options));
        return ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("module-info", moduleInfo, "com.acme.Tiny", MODEL),
                all, false, new ModelCostProcessor());
    }

    /** The DSL's classes and its module-info as a jar, whatever holds them (the annotations module's classes or its jar). */
    private static Path annotationsJar(Path dir) throws IOException {
        Path jar = dir.resolve("annotations.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path location = ToolCompile.annotationsLocation();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream target = new JarOutputStream(out, manifest)) {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                        target.putNextEntry(new JarEntry(location.relativize(file).toString().replace('\\', '/')));
                        Files.copy(file, target);
                        target.closeEntry();
                    }
                }
            } else {
                try (JarFile source = new JarFile(location.toFile())) {
                    for (JarEntry entry : java.util.Collections.list(source.entries())) {
                        if (entry.getName().endsWith(".class")) {
                            target.putNextEntry(new JarEntry(entry.getName()));
                            try (InputStream in = source.getInputStream(entry)) {
                                in.transferTo(target);
                            }
                            target.closeEntry();
                        }
                    }
                }
            }
        }
        // Its module-info: a named module, not an automatic one, which a module cannot require transitively without a warning.
        java.lang.module.ModuleDescriptor module = java.lang.module.ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        assertEquals("dev.modelcost", module.name());
        assertFalse(module.isAutomatic());
        assertEquals(java.util.Set.of("dev.modelcost"), module.exports().stream().map(java.lang.module.ModuleDescriptor.Exports::source)
                .collect(java.util.stream.Collectors.toSet()));
        return jar;
    }
}
