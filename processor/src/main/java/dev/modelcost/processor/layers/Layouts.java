package dev.modelcost.processor.layers;

import java.util.List;

/** Parsing of written layouts ({@code "C,H,W"}, {@code "L,D"}). */
public final class Layouts {
    private Layouts() {}

    /** Whether a name can name an axis: a letter, then letters, digits or {@code _}. */
    public static boolean isAxisName(String name) {
        if (name.isEmpty() || !isLetter(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> isLetter((char) c) || (c >= '0' && c <= '9') || c == '_');
    }

    /** What a layout of {@code rank} axes must be, for messages: {@code "3 distinct axis names separated by commas"}, or one name. */
    static String wanted(int rank) {
        return rank == 1 ? "one axis name" : rank + " distinct axis names separated by commas";
    }

    /** The axis names of a written layout, or null if it is not a list of distinct axis names. */
    public static List<String> parse(String layout) {
        List<String> names = names(layout);
        if (names.stream().anyMatch(n -> !isAxisName(n) || n.equals(Shape.STATE_AXIS)) || names.stream().distinct().count() != names.size()) {
            return null;
        }
        return names;
    }

    /** The names a layout writes, separated by commas, stripped. */
    private static List<String> names(String layout) {
        return List.of(layout.split(",", -1)).stream().map(String::strip).toList();
    }

    /** What an axis name is, for messages. */
    public static final String NAMES = "an axis name is ASCII letters, digits and _, starting with a letter";

    /**
     * Why a written layout does not name the distinct axes wanted, for its message: a name that is no axis name, a name written
     * twice, or else how many it names.
     */
    public static String whyNot(String layout) {
        List<String> names = names(layout);
        for (String name : names) {
            if (!isAxisName(name)) {
                return name.isEmpty() ? "an empty name" : "'" + name + "' is no axis name";
            }
            if (name.equals(Shape.STATE_AXIS)) {
                return "'" + name + "' names a recurrent layer's state axis (num_layers · directions), which PyTorch puts before the batch";
            }
        }
        for (String name : names) {
            if (names.indexOf(name) != names.lastIndexOf(name)) {
                return "'" + name + "' is written twice";
            }
        }
        return "it names " + names.size();
    }

    /** {@code name}, or {@code name2}, {@code name3}, ... : the first that {@code taken} does not hold. */
    public static String fresh(String name, List<String> taken) {
        String candidate = name;
        for (int i = 2; taken.contains(candidate); i++) {
            candidate = name + i;
        }
        return candidate;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
