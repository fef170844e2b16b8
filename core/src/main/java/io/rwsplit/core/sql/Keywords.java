package io.rwsplit.core.sql;

/**
 * Finds the {@link Kw} a word token is, by the hash the lexer already computed: an open-addressing
 * table of keyword ordinals, so a lookup allocates nothing.
 */
final class Keywords {

    private static final int SIZE = 1024;
    private static final Kw[] KEYWORDS = Kw.values();
    private static final short[] TABLE = index();

    private Keywords() {
    }

    private static short[] index() {
        short[] table = new short[SIZE];
        for (Kw k : KEYWORDS) {
            int slot = k.hash & (SIZE - 1);
            while (table[slot] != 0) {
                if (KEYWORDS[table[slot] - 1].hash == k.hash) {
                    throw new IllegalStateException("keyword hash collision: " + k);
                }
                slot = (slot + 1) & (SIZE - 1);
            }
            table[slot] = (short) (k.ordinal() + 1);
        }
        return table;
    }

    /** The keyword token {@code i} is, or {@code null} for any other word or token. */
    static Kw at(Tokens t, int i) {
        if (!t.is(i, TokenType.WORD)) {
            return null;
        }
        int h = t.hash(i);
        for (int slot = h & (SIZE - 1); TABLE[slot] != 0; slot = (slot + 1) & (SIZE - 1)) {
            Kw k = KEYWORDS[TABLE[slot] - 1];
            if (k.hash == h) {
                return t.is(i, k) ? k : null;
            }
        }
        return null;
    }
}
