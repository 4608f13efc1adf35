package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Stripe's form encoding into JSON: {@code metadata[orderId]=7} becomes {@code {"metadata":{"orderId":"7"}}},
 * {@code line_items[0][quantity]=1} an array of objects, {@code expand[]=a&expand[]=b} (or {@code expand[0]})
 * an array of strings. Values stay strings, as Stripe receives them; the handlers parse numbers and booleans.
 */
final class FormBody {
  private FormBody() {
  }

  static JsonObject parse(String body) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return new JsonObject();
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      put(root, path(key), value);
    }
    return (JsonObject) toJson(root);
  }

  private static List<String> path(String key) {
    List<String> parts = new ArrayList<>();
    int open = key.indexOf('[');
    if (open < 0) {
      parts.add(key);
      return parts;
    }
    parts.add(key.substring(0, open));
    int i = open;
    while (i < key.length() && key.charAt(i) == '[') {
      int close = key.indexOf(']', i);
      if (close < 0) {
        break;
      }
      parts.add(key.substring(i + 1, close));
      i = close + 1;
    }
    return parts;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> node, List<String> path, String value) {
    Map<String, Object> current = node;
    for (int i = 0; i < path.size() - 1; i++) {
      String part = path.get(i);
      String next = path.get(i + 1);
      if (next.isEmpty()) {
        // "expand[]": a list of scalars, appended in order
        List<Object> list = (List<Object>) current.computeIfAbsent(part, k -> new ArrayList<>());
        list.add(value);
        return;
      }
      Object child = current.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
      if (!(child instanceof Map)) {
        return; // "a=1&a[b]=2": keep the first shape, as a lenient server would
      }
      current = (Map<String, Object>) child;
    }
    current.put(path.get(path.size() - 1), value);
  }

  @SuppressWarnings("unchecked")
  private static Object toJson(Object node) {
    if (node instanceof Map<?, ?> map) {
      boolean indexed = !map.isEmpty() && map.keySet().stream().allMatch(k -> ((String) k).matches("\\d+"));
      if (indexed) {
        JsonArray array = new JsonArray();
        map.entrySet().stream()
            .sorted((a, b) -> Integer.compare(Integer.parseInt((String) a.getKey()), Integer.parseInt((String) b.getKey())))
            .forEach(e -> array.add(toJson(e.getValue())));
        return array;
      }
      JsonObject obj = new JsonObject();
      ((Map<String, Object>) map).forEach((k, v) -> obj.put(k, toJson(v)));
      return obj;
    }
    if (node instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return node;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
