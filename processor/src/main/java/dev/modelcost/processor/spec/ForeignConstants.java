package dev.modelcost.processor.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Constants of other classes that a network's expressions name, {@code Sizes.WIDTH} or
 * {@code com.acme.Sizes.WIDTH}: a {@code static final} integer field with a compile-time value,
 * its class found as Java finds it from the network's class ({@link #findType}); a field the class
 * inherits counts as Java counts it. Each is added to the network's constants under the name as
 * written, so evaluation finds it as it finds the class's own. A field a static import brings is
 * not followed: that name is unknown (MC202, which says so), and the constant is written qualified.
 */
final class ForeignConstants {
    private static final Pattern DOTTED = Pattern.compile("(?<![\\w$.])[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+");
    /** A name written alone: neither qualified nor qualifying, nor a function's ({@code WIDTH}, not {@code max(} or {@code x.C}). */
    private static final Pattern ALONE = Pattern.compile("(?<![\\w$.])[A-Za-z_$][\\w$]*(?![\\w$]|\\s*[.(])");

    private final Elements elements;
    private final SourceTrees sources;

    ForeignConstants(Elements elements, SourceTrees sources) {
        this.elements = elements;
        this.sources = sources;
    }

    /**
     * Adds to {@code constants} every dotted name of the expressions of {@code steps} and
     * {@code params} that is another class's constant; names of tensors ({@code tensors}: inputs,
     * fields, {@code x}, {@code out}) are left to evaluation.
     */
    void collect(TypeElement type, List<Step> steps, List<ParamSpec> params, Set<String> tensors, Map<String, Long> constants,
            Map<String, String> unusable) {
        // The file's static imports, read once: most files have none, and then no name written alone is looked up.
        List<String> statics = sources.staticImports(Mirrors.outermost(type));
        for (String text : texts(steps, params)) {
            Matcher matcher = DOTTED.matcher(text);
            while (matcher.find()) {
                String name = matcher.group();
                if (constants.containsKey(name) || tensors.contains(name.substring(0, name.indexOf('.')))) {
                    continue;
                }
                TypeElement owner = findType(type, name.substring(0, name.lastIndexOf('.')));
                if (owner == null) {
                    continue;
                }
                VariableElement field = field(owner, name.substring(name.lastIndexOf('.') + 1));
                if (field != null && !accessible(field, type)) {
                    unusable.putIfAbsent(name, inaccessible(field, type));
                } else if (field != null && isConstant(field)) {
                    constants.put(name, ((Number) field.getConstantValue()).longValue());
                } else if (field != null) {
                    unusable.putIfAbsent(name, whyNotAConstant(field));
                } else {
                    unusable.putIfAbsent(name, noSuchField(owner, name, type));
                }
            }
            Matcher alone = ALONE.matcher(text);
            while (!statics.isEmpty() && alone.find()) {
                String name = alone.group();
                if (!constants.containsKey(name) && !tensors.contains(name)) {
                    VariableElement field = staticallyImported(type, statics, name);
                    if (field != null) {
                        String qualified = ((TypeElement) field.getEnclosingElement()).getQualifiedName() + "." + name;
                        unusable.putIfAbsent(name, "is a field of " + field.getEnclosingElement().getSimpleName() + " that a static import brings, "
                                + "which expressions do not follow: " + (isConstant(field) ? "write it qualified, " + qualified
                                : "written qualified (" + qualified + "), it " + whyNotAConstant(field)));
                    }
                }
            }
        }
    }

    /**
     * The field {@code name} that one of {@code statics}, the static imports of the file of {@code type}, brings and the class may
     * read ({@code import static acme.Sizes.WIDTH;} or {@code import static acme.Sizes.*;}), or null where none does.
     */
    private VariableElement staticallyImported(TypeElement type, List<String> statics, String name) {
        for (String declaration : statics) {
            String owner = declaration.endsWith("." + name) ? declaration.substring(0, declaration.length() - name.length() - 1)
                    : declaration.endsWith(".*") ? declaration.substring(0, declaration.length() - 2) : null;
            TypeElement found = owner == null ? null : elements.getTypeElement(owner);
            VariableElement field = found == null ? null : field(found, name);
            if (field != null && field.getModifiers().contains(Modifier.STATIC) && accessible(field, type)) {
                return field;
            }
        }
        return null;
    }

    /**
     * Whether code in {@code from} may read the field, as Java allows it: the field and every class it is nested in each public,
     * protected where {@code from} (or a class around it) is a subclass or in the package, of package access within the package,
     * private within the same top-level class.
     */
    private boolean accessible(VariableElement field, TypeElement from) {
        javax.lang.model.element.Element at = field;
        while (at instanceof VariableElement || at instanceof TypeElement) {
            if (!accessibleMember(at, from)) {
                return false;
            }
            at = at.getEnclosingElement();
        }
        return true;
    }

    private boolean accessibleMember(javax.lang.model.element.Element member, TypeElement from) {
        Set<Modifier> modifiers = member.getModifiers();
        if (modifiers.contains(Modifier.PUBLIC)) {
            return true;
        }
        if (modifiers.contains(Modifier.PRIVATE)) {
            return outermost(member).equals(outermost(from));
        }
        boolean samePackage = elements.getPackageOf(member).equals(elements.getPackageOf(from));
        return samePackage || modifiers.contains(Modifier.PROTECTED) && member.getEnclosingElement() instanceof TypeElement owner
                && subclassAround(from, owner);
    }

    /** Whether {@code from}, or a class it is nested in, extends {@code owner}. */
    private static boolean subclassAround(TypeElement from, TypeElement owner) {
        for (javax.lang.model.element.Element at = from; at instanceof TypeElement type; at = at.getEnclosingElement()) {
            for (TypeElement up = type; up != null; ) {
                if (up.equals(owner)) {
                    return true;
                }
                javax.lang.model.type.TypeMirror parent = up.getSuperclass();
                up = parent instanceof javax.lang.model.type.DeclaredType declared ? (TypeElement) declared.asElement() : null;
            }
        }
        return false;
    }

    /** The top-level class that holds an element. */
    private static javax.lang.model.element.Element outermost(javax.lang.model.element.Element element) {
        javax.lang.model.element.Element at = element;
        while (at.getEnclosingElement() instanceof TypeElement) {
            at = at.getEnclosingElement();
        }
        return at;
    }

    /** Why an expression cannot read a field that Java does not let the model's class read. */
    private String inaccessible(VariableElement field, TypeElement from) {
        TypeElement owner = (TypeElement) field.getEnclosingElement();
        if (accessibleMember(field, from)) {
            return "is in " + owner.getQualifiedName() + ", a class Java does not let " + from.getQualifiedName() + " reach";
        }
        return field.getModifiers().contains(Modifier.PRIVATE) ? "is private in " + owner.getQualifiedName() + ": Java lets no other class read it"
                : field.getModifiers().contains(Modifier.PROTECTED) ? "is protected in " + owner.getQualifiedName()
                        + ": Java lets only its package and subclasses read it"
                : "has package access in " + owner.getQualifiedName() + ": Java lets no class of another package read it";
    }

    /** Whether an expression reads the field: a static final integer constant. */
    static boolean isConstant(VariableElement field) {
        return field.getModifiers().containsAll(Set.of(Modifier.STATIC, Modifier.FINAL)) && field.getConstantValue() instanceof Number number
                && !(number instanceof Double || number instanceof Float);
    }

    /** Why an expression cannot read a field that is no integer constant. */
    static String whyNotAConstant(VariableElement field) {
        String what = "expressions read integer constants, static final int, long, short or byte fields";
        if (!field.getModifiers().contains(Modifier.STATIC)) {
            return "is no static field: " + what;
        }
        if (!field.getModifiers().contains(Modifier.FINAL)) {
            return "is a static field that is not final: " + what;
        }
        Object value = field.getConstantValue();
        if (value == null) {
            return field.asType().getKind() == javax.lang.model.type.TypeKind.ARRAY
                    ? "is an array: " + what + " (an int[] is written as a list in the expression, [16, 32])"
                    : "is no compile-time constant (its value is computed when the class loads): " + what + " initialized with a constant expression";
        }
        String type = field.asType().getKind().isPrimitive() ? field.asType().toString() : value.getClass().getSimpleName();
        return "is " + dev.modelcost.processor.diag.Suggestions.withArticle(type) + " constant: " + what
                + (value instanceof Double || value instanceof Float ? ", and a decimal written where an attribute takes one" : "");
    }

    /** The most constants a message lists where none is like the name written. */
    private static final int MOST_LISTED = 12;

    /**
     * Why {@code name} ({@code Consts.Missing}) reads nothing where its class is found but has no field of that name, with the
     * class's integer constants to choose from.
     */
    private String noSuchField(TypeElement owner, String name, TypeElement from) {
        String written = name.substring(0, name.lastIndexOf('.') + 1);
        List<String> constants = ElementFilter.fieldsIn(elements.getAllMembers(owner)).stream()
                .filter(f -> isConstant(f) && accessible(f, from)).map(f -> written + f.getSimpleName()).toList();
        String like = dev.modelcost.processor.diag.Suggestions.didYouMean(name, constants);
        String choice = constants.isEmpty() ? "; it has no integer constants"
                : like.startsWith("; known: ") && constants.size() > MOST_LISTED ? "; it has " + constants.size() + " integer constants, none like it" : like;
        return "is no field of " + owner.getQualifiedName() + choice;
    }

    private static List<String> texts(List<Step> steps, List<ParamSpec> params) {
        List<String> texts = new ArrayList<>();
        params.stream().map(ParamSpec::fallbackText).filter(java.util.Objects::nonNull).forEach(texts::add);
        steps.forEach(step -> texts.addAll(step.expressionTexts()));
        return texts;
    }

    /** The field of that name the type has, declared or inherited, static or not; null if none. */
    private VariableElement field(TypeElement owner, String fieldName) {
        for (VariableElement field : ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
            if (field.getSimpleName().contentEquals(fieldName)) {
                return field;
            }
        }
        return null;
    }

    /**
     * The type a name denotes from the network's class, in Java's order (JLS 6.4.1): a member type of
     * the class or of a class enclosing it, declared or inherited (innermost first, the enclosing
     * classes themselves included), then a type its file imports by name (statically too), then a
     * type of the same package, then one imported on demand ({@code acme.*}), then the name as a
     * qualified name, then a type of {@code java.lang}. The imports are those javac shows or an
     * earlier compilation recorded ({@link SourceTrees}); where neither shows them (another compiler,
     * a class compiled without the processor), a same-package type that an import would hide is taken.
     */
    private TypeElement findType(TypeElement from, String typeName) {
        String first = typeName.contains(".") ? typeName.substring(0, typeName.indexOf('.')) : typeName;
        String rest = typeName.substring(first.length());
        List<String> imported = java.util.Objects.requireNonNullElse(sources.imports(Mirrors.outermost(from)), List.of());
        for (Element scope = from; scope != null && scope.getKind() != ElementKind.PACKAGE; scope = scope.getEnclosingElement()) {
            if (scope instanceof TypeElement enclosing) {
                if (enclosing.getSimpleName().contentEquals(first)) {
                    TypeElement self = elements.getTypeElement(enclosing.getQualifiedName() + rest);
                    if (self != null) {
                        return self;
                    }
                }
                // a member class, its own or inherited from a superclass or an interface
                for (Element member : elements.getAllMembers(enclosing)) {
                    if (member instanceof TypeElement inherited && inherited.getSimpleName().contentEquals(first)) {
                        TypeElement found = elements.getTypeElement(inherited.getQualifiedName() + rest);
                        if (found != null) {
                            return found;
                        }
                    }
                }
            }
        }
        for (String declaration : imported) {
            if (declaration.equals(first) || declaration.endsWith("." + first)) {
                TypeElement single = elements.getTypeElement(declaration + rest);
                if (single != null) {
                    return single;
                }
            }
        }
        PackageElement pkg = elements.getPackageOf(from);
        if (!pkg.isUnnamed()) {
            TypeElement sibling = elements.getTypeElement(pkg.getQualifiedName() + "." + typeName);
            if (sibling != null) {
                return sibling;
            }
        }
        for (String declaration : imported) {
            if (declaration.endsWith(".*")) {
                TypeElement onDemand = elements.getTypeElement(declaration.substring(0, declaration.length() - 1) + typeName);
                if (onDemand != null) {
                    return onDemand;
                }
            }
        }
        TypeElement qualified = typeName.contains(".") || pkg.isUnnamed() ? elements.getTypeElement(typeName) : null;
        // java.lang, which every class imports: Integer.MAX_VALUE.
        return qualified != null || typeName.contains(".") ? qualified : elements.getTypeElement("java.lang." + typeName);
    }
}
