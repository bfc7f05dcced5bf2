package dev.s3music.subsonic;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the envelope {@code subsonic-response} around a payload {@link Node}: XML by default (the JDK's StAX
 * writer, namespace {@value #NAMESPACE}, which JAXB-based clients require), {@code f=json} as
 * {@code application/json}, {@code f=jsonp} with a validated callback. Errors are HTTP 200 with
 * {@code status="failed"} and {@code <error code message/>}, in the same format, never audio.
 */
public final class ResponseWriter {

    public static final String NAMESPACE = "http://subsonic.org/restapi";
    /** The Subsonic API version served. */
    public static final String API_VERSION = "1.16.1";
    /** Our own name: DSub treats {@code subsonic} >= 1.13 as Madsonic and switches protocols. */
    public static final String SERVER_TYPE = "s3music";
    public static final String SERVER_VERSION = "0.1.0";

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    /** A JavaScript identifier path ({@code cb}, {@code jQuery123_456}, {@code a.b}): nothing that could run code. */
    private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    public enum Format { XML, JSON, JSONP }

    private ResponseWriter() {
    }

    /** The format a request asks for ({@code f}; anything unknown is XML, the default). */
    public static Format format(MultiMap params) {
        String f = params.get("f");
        if (f == null) {
            return Format.XML;
        }
        return switch (f.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "jsonp" -> Format.JSONP;
            default -> Format.XML;
        };
    }

    /** A successful answer with {@code payload} (null: an empty {@code ok}). */
    public static void ok(HttpServerResponse response, MultiMap params, Node payload) {
        Node envelope = envelope("ok");
        if (payload != null && payload.name == null) {
            envelope.children.addAll(payload.children); // a fragment: its children go straight into the envelope
        } else if (payload != null) {
            envelope.add(payload);
        }
        write(response, params, envelope);
    }

    /** A failed answer: HTTP 200, {@code status="failed"}, the error's code and message. */
    public static void failed(HttpServerResponse response, MultiMap params, int code, String message) {
        Node envelope = envelope("failed");
        envelope.child("error").attr("code", code).attr("message", message);
        write(response, params, envelope);
    }

    static Node envelope(String status) {
        return new Node("subsonic-response")
            .attr("status", status)
            .attr("version", API_VERSION)
            .attr("type", SERVER_TYPE)
            .attr("serverVersion", SERVER_VERSION)
            .attr("openSubsonic", true);
    }

    private static void write(HttpServerResponse response, MultiMap params, Node envelope) {
        Format format = format(params);
        String body;
        String type;
        switch (format) {
            case JSON -> {
                body = new JsonObject().put(envelope.name, json(envelope)).encode();
                type = "application/json";
            }
            case JSONP -> {
                String callback = params.get("callback");
                if (callback == null || callback.length() > 128 || !CALLBACK.matcher(callback).matches()) {
                    // never echo an unchecked callback into script: the error goes out as plain JSON
                    Node error = envelope("failed");
                    error.child("error").attr("code", callback == null ? SubsonicException.MISSING_PARAMETER
                            : SubsonicException.GENERIC)
                        .attr("message", callback == null ? "required parameter is missing: callback"
                            : "callback must be a JavaScript identifier");
                    body = new JsonObject().put(error.name, json(error)).encode();
                    type = "application/json";
                } else {
                    body = callback + "(" + new JsonObject().put(envelope.name, json(envelope)).encode() + ");";
                    type = "application/javascript";
                }
            }
            default -> {
                body = xml(envelope);
                type = "text/xml; charset=UTF-8";
            }
        }
        response.setStatusCode(200)
            .putHeader(HttpHeaders.CONTENT_TYPE, type)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(body);
    }

    // ------------------------------------------------------------------------------------------------ XML

    static String xml(Node envelope) {
        StringWriter out = new StringWriter(1024);
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, envelope.name);
            w.writeDefaultNamespace(NAMESPACE);
            body(w, envelope);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter w, Node n) throws XMLStreamException {
        if (n.children.isEmpty() && n.text == null) {
            w.writeEmptyElement(NAMESPACE, n.name);
            attributes(w, n);
            return;
        }
        w.writeStartElement(NAMESPACE, n.name);
        body(w, n);
        w.writeEndElement();
    }

    private static void body(XMLStreamWriter w, Node n) throws XMLStreamException {
        attributes(w, n);
        if (n.text != null) {
            w.writeCharacters(String.valueOf(n.text));
        }
        for (Object c : n.children) {
            if (c instanceof Node child) {
                element(w, child);
            } else if (c instanceof Node.ListOf list) {
                for (Node item : list.items()) {
                    element(w, item);
                }
            }
        }
    }

    private static void attributes(XMLStreamWriter w, Node n) throws XMLStreamException {
        for (Map.Entry<String, Object> a : n.attributes.entrySet()) {
            w.writeAttribute(a.getKey(), String.valueOf(a.getValue()));
        }
    }

    // ------------------------------------------------------------------------------------------------ JSON

    /** A node as JSON: an object, or its bare value when it has only a text value. */
    static Object json(Node n) {
        if (n.attributes.isEmpty() && n.children.isEmpty() && n.text != null) {
            return n.text;
        }
        JsonObject o = new JsonObject();
        for (Map.Entry<String, Object> a : n.attributes.entrySet()) {
            o.put(a.getKey(), a.getValue());
        }
        if (n.text != null) {
            o.put("value", n.text);
        }
        for (Object c : n.children) {
            if (c instanceof Node child) {
                o.put(child.name, json(child));
            } else if (c instanceof Node.ListOf list) {
                JsonArray a = new JsonArray();
                for (Node item : list.items()) {
                    a.add(json(item));
                }
                o.put(list.name(), a);
            }
        }
        return o;
    }
}
