package dev.modelcost.processor.diag;

import java.util.Collection;

/** Words for messages: "did you mean" hints (the closest known name to a misspelt one), and articles. */
public final class Suggestions {
    private Suggestions() {}

    /** {@code noun} after "a" or "an", as its first letter asks: "an Add", "a Linear". */
    public static String withArticle(String noun) {
        return ("aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** {@code "; did you mean 'x'?"} for the closest candidate within two edits ({@link #closest}), or a list of the candidates. */
    public static String didYouMean(String name, Collection<String> candidates) {
        java.util.Optional<String> closest = closest(name, candidates);
        if (closest.isPresent()) {
            return meant(closest.get());
        }
        if (candidates.isEmpty()) {
            return "; there are none";
        }
        return "; known: " + String.join(", ", candidates.stream().distinct().sorted().toList());
    }

    /** {@code "; did you mean 'x'?"} for a name known to be meant. */
    public static String meant(String name) {
        return "; did you mean '" + name + "'?";
    }

    /** The candidate closest to {@code name} (any case), where it is within two edits or a third of the name's length. */
    public static java.util.Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            int distance = distance(name.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
