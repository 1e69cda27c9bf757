package dev.cascade.cli.opendnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneListMappingTest {

  @Test
  void aFileZoneIsAddedAndADnsZoneIsNot() throws IOException {
    Xml xml = Xml.parse("zonelist.xml", Files.readString(Path.of("src/test/resources/opendnssec/zonelist.xml")));
    List<ZoneListMapping.MappedZone> zones = ZoneListMapping.map(xml);
    assertEquals(2, zones.size());
    ZoneListMapping.MappedZone com = zones.get(0);
    assertEquals("example.com", com.name());
    assertEquals("default", com.policy());
    assertEquals("/var/lib/opendnssec/unsigned/example.com", com.source());
    assertEquals(1, com.warnings().size());
    assertTrue(com.warnings().get(0).startsWith("example.com: output adapter File"), com.warnings().get(0));
    ZoneListMapping.MappedZone net = zones.get(1);
    assertNull(net.source());
    assertTrue(net.warnings().get(0).contains("input adapter DNS"), net.warnings().get(0));
  }
}
