package io.rwsplit.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts flat JDBC properties ({@code monitor.interval=500ms}) into the nested tree YAML gives
 * ({@code {monitor: {interval: 500ms}}}), over whatever a config file already put there.
 */
final class PropertyTree {

    private PropertyTree() {
    }

    /**
     * @param property the full property name, for messages
     * @param path     its dotted key path without the {@code rwsplit.} prefix
     */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> tree, String property, String path, String value) {
        String[] parts = path.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new ConfigException(property, "invalid JDBC property name '" + property + "': expected "
                        + ConfigLoader.PROPERTY_PREFIX + "<key> with one dot per level, such as rwsplit.maxLag or "
                        + "rwsplit.monitor.interval");
            }
        }
        if (parts[0].equals("nodes")) {
            throw new ConfigException(path, "JDBC property '" + property + "' is not supported: the nodes are the "
                    + "hosts of the JDBC URL, with per-node settings in the file named by "
                    + ConfigLoader.CONFIG_FILE_PROPERTY);
        }
        Map<String, Object> section = tree;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            prefix.append(i == 0 ? "" : ".").append(parts[i]);
            Object next = section.get(parts[i]);
            if (next == null) {
                next = new LinkedHashMap<String, Object>();
                section.put(parts[i], next);
            } else if (!(next instanceof Map)) {
                throw new ConfigException(prefix.toString(), "JDBC property '" + property + "' sets a key inside '"
                        + prefix + "', but '" + prefix + "' is given a single value; expected '" + prefix
                        + "' to be a section (set only its keys, e.g. " + property + ")");
            }
            section = (Map<String, Object>) next;
        }
        section.put(parts[parts.length - 1], value);
    }
}
