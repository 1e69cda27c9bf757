package dev.cascade.cli.opendnssec;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the zones of OpenDNSSEC's {@code zonelist.xml} (schema {@code zonelist.rnc}) to Cascade zones: name, policy and
 * the input file as the zone's source. A zone read from anything but a file (the DNS adapter: zone transfers) cannot
 * be added from a file and is skipped with a warning; output adapters become warnings, since Cascade's publisher
 * serves the signed zone itself.
 */
public final class ZoneListMapping {

  /** A zone to add; {@code source} null when it cannot be added (see the warnings). */
  public record MappedZone(String name, String policy, String source, List<String> warnings) {}

  private ZoneListMapping() {}

  /** Maps every {@code <Zone>}. */
  public static List<MappedZone> map(Xml zonelist) {
    if (!zonelist.root().name().equals("ZoneList")) {
      throw new IllegalArgumentException(zonelist.file() + ": not a zone list (root element <"
          + zonelist.root().name() + ">, expected <ZoneList>)");
    }
    List<MappedZone> result = new ArrayList<>();
    for (Xml.Element z : zonelist.root().children("Zone")) {
      String name = z.attribute("name");
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(zonelist.file() + ": a <Zone> has no name");
      }
      List<String> warnings = new ArrayList<>();
      String policy = z.required("Policy").text();
      String source = null;
      Xml.Element adapters = z.required("Adapters");
      Xml.Element input = adapters.required("Input").required("Adapter");
      if ("File".equals(input.attribute("type"))) {
        source = input.text();
      } else {
        warnings.add(name + ": input adapter " + input.attribute("type") + " (" + input.text() + "): Cascade loads "
            + "zones from files here; the zone is not added");
      }
      Xml.Element output = adapters.child("Output");
      if (output != null && output.child("Adapter") != null) {
        Xml.Element out = output.child("Adapter");
        warnings.add(name + ": output adapter " + out.attribute("type") + " (" + out.text() + "): not mapped; "
            + "Cascade's publisher serves the signed zone (point secondaries at it)");
      }
      result.add(new MappedZone(name, policy, source, List.copyOf(warnings)));
    }
    return List.copyOf(result);
  }
}
