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

    private static ToolCompile.Result compile(Path dir, String moduleInfo) throws IOException {
        Path jar = annotationsJar(dir);
        return ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("module-info", moduleInfo, "com.acme.Tiny", MODEL),
                List.of("--module-path", jar.toString()), false, new ModelCostProcessor());
    }

    /** The DSL's classes as a jar named as the annotations module's manifest names it ({@code dev.modelcost}), whatever holds them. */
    private static Path annotationsJar(Path dir) throws IOException {
        Path jar = dir.resolve("annotations.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Automatic-Module-Name", "dev.modelcost");
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
        assertEquals("dev.modelcost", new JarFile(jar.toFile()).getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        return jar;
    }
}
