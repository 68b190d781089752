package dev.modelcost.processor.sizes;

import java.util.ArrayList;
import java.util.List;

/**
 * The dimensions a leaf reads, in families whose chains of maps meet ({@link ShapeRules}): a padded size and its quotient by the
 * window are both maps of the size before the pad, so one family, followed from that size.
 *
 * @param chains per dimension, the chain of sizes it is a map of: itself first, then its map's source, that one's source, ...
 * @param families per family, its members' indexes in {@code chains}, in order
 */
record MapFamilies(List<List<Integer>> chains, List<List<Integer>> families) {
    /** The families of the dimensions whose chains are {@code chains}: dimensions whose chains share a size, transitively. */
    static MapFamilies of(List<List<Integer>> chains) {
        int n = chains.size();
        int[] family = new int[n];
        for (int i = 0; i < n; i++) {
            family[i] = i;
            for (int j = 0; j < i; j++) {
                if (!java.util.Collections.disjoint(chains.get(i), chains.get(j))) {
                    int from = Math.max(family[i], family[j]);
                    int to = Math.min(family[i], family[j]);
                    for (int k = 0; k <= i; k++) {
                        if (family[k] == from) {
                            family[k] = to;
                        }
                    }
                }
            }
        }
        List<List<Integer>> families = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (family[i] == f) {
                    members.add(i);
                }
            }
            if (!members.isEmpty()) {
                families.add(members);
            }
        }
        return new MapFamilies(chains, families);
    }

    /**
     * Per family, the size its members are followed from: the first size of the first member's chain that every member's chain
     * holds, then {@code lift} sizes further up that chain, or its last where it is shorter (a size variable itself, read beside a
     * padded map of another); null where a family's chains hold no size in common (chains cut short).
     */
    List<Integer> roots(int lift) {
        List<Integer> roots = new ArrayList<>();
        for (List<Integer> members : families) {
            List<Integer> first = chains.get(members.get(0));
            int meet = -1;
            for (int c = 0; c < first.size() && meet < 0; c++) {
                int candidate = first.get(c);
                if (members.stream().allMatch(i -> chains.get(i).contains(candidate))) {
                    meet = c;
                }
            }
            if (meet < 0) {
                return null;
            }
            int root = first.get(Math.min(meet + lift, first.size() - 1));
            if (!members.stream().allMatch(i -> chains.get(i).contains(root))) {
                return null;
            }
            roots.add(root);
        }
        return roots;
    }
}
