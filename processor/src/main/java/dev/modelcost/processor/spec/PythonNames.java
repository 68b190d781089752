package dev.modelcost.processor.spec;

import javax.lang.model.SourceVersion;

/** What a name written for PyTorch may hold, as modelcost writes it into generated code, tables and reports. */
final class PythonNames {
    private PythonNames() {}

    /**
     * Whether {@code name} can be a Python class's name: a Java identifier without {@code $} (javac's nested
     * and synthetic classes have one, Python's none) and without the characters Java lets an identifier ignore (NUL and other
     * controls, format characters such as a right-to-left override), which no Python name holds.
     */
    static boolean isClassName(String name) {
        return SourceVersion.isIdentifier(name) && name.indexOf('$') < 0
                && name.codePoints().noneMatch(Character::isIdentifierIgnorable);
    }

    /**
     * Whether {@code part} can be part of a module's name in its parent ({@code layer} of {@code layer1}): no dot, which separates
     * a module path's names, and no character that breaks or reorders a line where the path is shown: controls (a tab, a line
     * break, NEL), line and paragraph separators (U+2028, U+2029) and format characters (a right-to-left override).
     */
    static boolean isModuleNamePart(String part) {
        return part.codePoints().noneMatch(c -> c == '.' || Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR || Character.getType(c) == Character.FORMAT);
    }
}
