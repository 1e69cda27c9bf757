package dev.cascade.cli.opendnssec;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * An OpenDNSSEC XML file (conf.xml, kasp.xml, zonelist.xml) read into elements, with the file's name for messages.
 * External entities and DTDs are refused: the files are plain XML (OpenDNSSEC's RelaxNG schemas have no DTD).
 */
public record Xml(String file, Element root) {

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the file and where the XML is broken
   */
  public static Xml parse(String file, String text) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new InputSource(new StringReader(text)));
      return new Xml(file, new Element(file, d.getDocumentElement()));
    } catch (SAXException | IOException | ParserConfigurationException e) {
      throw new IllegalArgumentException(file + ": not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** An element: its children by name, its text and attributes. */
  public static final class Element {
    private final String file;
    private final org.w3c.dom.Element node;

    Element(String file, org.w3c.dom.Element node) {
      this.file = file;
      this.node = node;
    }

    public String name() {
      return node.getTagName();
    }

    /** The attribute's value, or null when it is absent. */
    public String attribute(String name) {
      return node.hasAttribute(name) ? node.getAttribute(name) : null;
    }

    /** The element's text content, trimmed. */
    public String text() {
      return node.getTextContent().trim();
    }

    /** The text of the first child named {@code name}, or null. */
    public String text(String name) {
      Element c = child(name);
      return c == null ? null : c.text();
    }

    /** The first child named {@code name}, or null. */
    public Element child(String name) {
      List<Element> c = children(name);
      return c.isEmpty() ? null : c.get(0);
    }

    /** The first child named {@code name}; its absence is an error naming the file and the element. */
    public Element required(String name) {
      Element c = child(name);
      if (c == null) {
        throw new IllegalArgumentException(file + ": <" + name() + (attribute("name") == null ? ""
            : " name=\"" + attribute("name") + "\"") + "> has no <" + name + ">");
      }
      return c;
    }

    public List<Element> children(String name) {
      List<Element> result = new ArrayList<>();
      for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof org.w3c.dom.Element e && e.getTagName().equals(name)) {
          result.add(new Element(file, e));
        }
      }
      return result;
    }
  }
}
