package dev.modelcost.processor.spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
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
     * The bytes of {@code resource} in the jar of the class file of {@code type}'s outermost class on the class path, or null
     * where that class file is in no jar, or the jar holds no such resource.
     */
    static byte[] besideClassOf(Filer filer, TypeElement type, String resource) {
        TypeElement outermost = Mirrors.outermost(type);
        String pkg = outermost.getEnclosingElement() instanceof PackageElement p ? p.getQualifiedName().toString() : "";
        try {
            URI uri = filer.getResource(StandardLocation.CLASS_PATH, pkg, outermost.getSimpleName() + ".class").toUri();
            String text = uri.toString();
            int entry = text.indexOf("!/");
            if (!"jar".equals(uri.getScheme()) || entry < 0) {
                return null;
            }
            URLConnection connection = URI.create(text.substring(0, entry + 2) + resource).toURL().openConnection();
            // no cached JarFile left open after the compilation (a build tool's JVM runs many)
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | RuntimeException absent) {
            return null;
        }
    }
}
