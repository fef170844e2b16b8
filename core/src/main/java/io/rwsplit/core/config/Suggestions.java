package io.rwsplit.core.config;

import java.util.List;
import java.util.Optional;

/** "Did you mean" for unknown keys: a misspelt key is the most common config error. */
final class Suggestions {

    /** More edits than this and the suggestion is more likely to confuse than help. */
    private static final int MAX_DISTANCE = 2;

    private Suggestions() {
    }

    static Optional<String> closest(String unknown, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            // Case slips (maxlag, MaxLag) count as one edit, so they always win.
            int d = k.equalsIgnoreCase(unknown) ? 1 : distance(unknown, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        boolean plausible = bestDistance <= MAX_DISTANCE && bestDistance < unknown.length();
        return plausible ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
