package io.rwsplit.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML into the tree the binder walks: {@code Map<String,Object>} for mappings,
 * {@code List<Object>} for sequences, and the raw text ({@code String}) or {@code null} for scalars.
 *
 * <p>Why not {@code ObjectMapper.readValue(..., Map.class)}: YAML's implicit typing would turn
 * {@code password: 0123} into the number 123 and {@code 1e3} into 1000.0; keeping every scalar's
 * source text makes the YAML path and the all-strings JDBC properties path identical for the
 * binder. Reading token by token also lets us reject duplicate keys and aliases with a key path
 * instead of silently keeping the last one (Jackson would hand an alias over as its bare name).
 */
final class YamlTree {

    private final YAMLFactory factory = new YAMLFactory();

    /**
     * @param yaml   the document
     * @param source names the document in messages ("config file /etc/rwsplit.yaml")
     * @return the top-level mapping; empty for an empty document
     */
    Map<String, Object> read(String yaml, String source) {
        try (JsonParser p = factory.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new LinkedHashMap<>();
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(null, source + " must be a mapping of config keys (nodes:, balance:, ...), "
                        + "but its top level is " + describe(first));
            }
            Map<String, Object> root = readMapping(p, "", source);
            if (p.nextToken() != null) {
                throw new ConfigException(null, source + " holds more than one YAML document (a second '---'); "
                        + "put the whole config in one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Not chained as the cause: the parser's own message quotes the source line (a password?).
            throw new ConfigException(null, source + " is not valid YAML" + where(e.getLocation()) + ": "
                    + problemOnly(e.getOriginalMessage()));
        } catch (IOException e) {
            // The text is already in memory, so this is the parser failing, not a file.
            throw new ConfigException(null, "cannot parse " + source + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Map<String, Object> readMapping(JsonParser p, String path, String source) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            p.nextToken();
            Object value = readValue(p, keyPath, source);
            if (map.containsKey(key)) {
                throw new ConfigException(keyPath, "duplicate config key '" + keyPath + "' in " + source
                        + where(p.currentLocation()) + "; give each key once");
            }
            map.put(key, value);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalStateException("unexpected YAML token " + t);
        }
        return map;
    }

    private Object readValue(JsonParser p, String path, String source) throws IOException {
        if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
            throw new ConfigException(path, "config key '" + path + "' in " + source + where(p.currentLocation())
                    + " uses a YAML alias (*name), which rwsplit does not support; write the value out");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                return readMapping(p, path, source);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, path + "[" + list.size() + "]", source));
                }
                return list;
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getText();
            default:
                throw new ConfigException(path, "config key '" + path + "' in " + source + where(p.currentLocation())
                        + " has an unsupported YAML value (" + describe(t) + "); write it as plain text");
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_EMBEDDED_OBJECT -> "binary data";
            default -> "a single value";
        };
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /**
     * SnakeYAML's messages quote the offending source line, which may hold a password. Its message
     * lines are unindented while the quoted snippet, caret and "in 'reader'" lines are indented, so
     * keeping only unindented lines keeps the explanation and drops the source text.
     */
    static String problemOnly(String message) {
        if (message == null) {
            return "syntax error";
        }
        String kept = message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
        return kept.isEmpty() ? "syntax error" : kept;
    }
}
