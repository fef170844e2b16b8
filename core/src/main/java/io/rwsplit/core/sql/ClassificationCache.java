package io.rwsplit.core.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map from statement text to its classification, in two generations: new entries go to
 * the young map; when it is full it becomes the old map and the previous old map is dropped, and a
 * hit in the old map moves the entry back to the young one. Statements in steady use survive;
 * one-off texts (literals inlined by the application) age out. At most {@code capacity} entries
 * are held, and a hit in the young map allocates nothing.
 *
 * <p>Written here rather than taken from a caching library to keep the JDBC driver's dependencies
 * to what applications already have; the policy needs no more than this.
 */
final class ClassificationCache {

    private final int generationSize;
    private volatile ConcurrentHashMap<String, Classification> young;
    private volatile ConcurrentHashMap<String, Classification> old;

    ClassificationCache(int capacity) {
        this.generationSize = Math.max(1, capacity / 2);
        this.young = new ConcurrentHashMap<>();
        this.old = new ConcurrentHashMap<>();
    }

    Classification get(String sql) {
        Classification c = young.get(sql);
        if (c != null) {
            return c;
        }
        c = old.get(sql);
        if (c != null) {
            put(sql, c);
        }
        return c;
    }

    void put(String sql, Classification c) {
        ConcurrentHashMap<String, Classification> y = young;
        y.put(sql, c);
        if (y.size() >= generationSize) {
            rotate(y);
        }
    }

    private synchronized void rotate(ConcurrentHashMap<String, Classification> full) {
        if (young == full) {
            old = full;
            young = new ConcurrentHashMap<>();
        }
    }

    int size() {
        return young.size() + old.size();
    }
}
