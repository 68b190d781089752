package dev.modelcost.processor.spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.annotation.processing.Filer;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.StandardLocation;

/**
 * Reads a resource an earlier compilation wrote into the jar that holds a type's class file ({@code META-INF/modelcost/...}).
 * javac's file manager lists only the folders of a jar that are package names, so {@code Filer.getResource(CLASS_PATH, "",
 * "META-INF/...")} finds no such resource there; the type's own class file, found through the Filer, names the jar.
 */
final class JarResources {
    private JarResources() {}

    /**
     * The bytes of {@code resource} an earlier compilation recorded beside the class files of {@code type}: in the class output,
     * in a folder of the class path, or in the jar of the type's class file ({@link #besideClassOf}); null where none holds it.
     */
    static byte[] recorded(Filer filer, TypeElement type, String resource) {
        for (StandardLocation location : java.util.List.of(StandardLocation.CLASS_OUTPUT, StandardLocation.CLASS_PATH)) {
            try (InputStream in = filer.getResource(location, "", resource).openInputStream()) {
                return in.readAllBytes();
            } catch (IOException | RuntimeException absent) {
                // not there: the next location
            }
        }
        return besideClassOf(filer, type, resource);
    }

    /**
     * The bytes of {@code resource} in the jar of the class file of {@code type}'s outermost class on the class path, or null
     * where that class file is in no jar, or the jar holds no such resource.
     */
    static byte[] besideClassOf(Filer filer, TypeElement type, String resource) {
        TypeElement outermost = Mirrors.outermost(type);
        String pkg = outermost.getEnclosingElement() instanceof PackageElement p ? p.getQualifiedName().toString() : "";
        try {
            URI uri = filer.getResource(StandardLocation.CLASS_PATH, pkg, outermost.getSimpleName() + ".class").toUri();
            String text = uri.toString();
            // jar:<the jar's URI>!/<entry>: an entry's name holds no '!' (a class's path), the jar's folders may (/libs!/a.jar)
            int entry = text.lastIndexOf("!/");
            if (!"jar".equals(uri.getScheme()) || entry < 0) {
                return null;
            }
            // opened and closed here: no cached JarFile left open after the compilation (a build tool's JVM runs many)
            try (ZipFile jar = new ZipFile(Path.of(URI.create(text.substring("jar:".length(), entry))).toFile())) {
                ZipEntry found = jar.getEntry(resource);
                if (found == null) {
                    return null;
                }
                try (InputStream in = jar.getInputStream(found)) {
                    return in.readAllBytes();
                }
            }
        } catch (IOException | RuntimeException absent) {
            return null;
        }
    }
}
