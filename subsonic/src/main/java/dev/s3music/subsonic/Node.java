package dev.s3music.subsonic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a Subsonic answer, written as XML or JSON by {@link ResponseWriter}: attributes (typed: numbers and
 * booleans stay numbers and booleans in JSON; null values are never written, so no {@code year=""}), child
 * elements, lists of child elements (always a JSON array, even empty or of one) and an optional text value (XML
 * text content; JSON {@code "value"}, or the bare value for an element with nothing else).
 */
public final class Node {

    final String name;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    /** {@link Node} (one child) or {@link ListOf} (a list), in order. */
    final List<Object> children = new ArrayList<>();
    Object text;

    record ListOf(String name, List<Node> items) {
    }

    public Node(String name) {
        this.name = name;
    }

    /** A payload whose children go straight into the envelope (a list such as {@code openSubsonicExtensions}). */
    public static Node fragment() {
        return new Node(null);
    }

    /** Sets an attribute; a null value is left out. */
    public Node attr(String key, Object value) {
        if (value != null) {
            attributes.put(key, value);
        }
        return this;
    }

    public Node text(Object value) {
        this.text = value;
        return this;
    }

    /** Adds a single child element and returns it. */
    public Node child(String childName) {
        Node n = new Node(childName);
        children.add(n);
        return n;
    }

    public Node add(Node child) {
        children.add(child);
        return this;
    }

    /** Declares a list of elements named {@code itemName} (a JSON array even when empty); add to the list. */
    public List<Node> list(String itemName) {
        ListOf l = new ListOf(itemName, new ArrayList<>());
        children.add(l);
        return l.items();
    }

    /** A text-only element ({@code <biography>...</biography>}, JSON {@code "biography":"..."}), when not null. */
    public Node textChild(String childName, Object value) {
        if (value != null) {
            children.add(new Node(childName).text(value));
        }
        return this;
    }

    public String name() {
        return name;
    }

    public Object attribute(String key) {
        return attributes.get(key);
    }
}
