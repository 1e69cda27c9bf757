package dev.cascade.dnssec.zone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The warnings about a zone's delegations that BIND's {@code named-checkzone} and Knot's {@code kzonecheck} give too:
 * a name server inside the zone without address records (missing glue), and data that is never served because it
 * lies below a zone cut or a DNAME (occluded data). Neither stops the zone: resolvers still reach a child through
 * its other name servers, and occluded data changes no answer; but its author meant something else.
 *
 * <ul>
 *   <li>Below a delegation (and at it, beside its NS and DS), only address records of a name an NS RRset of the zone
 *       names are glue (RFC 1034 §4.2.1, RFC 9471 §2); any other record there is not served.
 *   <li>Below a DNAME every name is occluded (RFC 6672 §2.3).
 *   <li>An NS target inside the zone needs an A or AAAA record: below a cut it is glue the parent must serve
 *       (RFC 9471 §3), elsewhere authoritative data that resolvers look up in this zone.
 * </ul>
 *
 * Runs over the records in canonical order (RFC 4034 §6.1), where every name's descendants follow it: the last cut
 * seen is the only one a name can be below, as {@code ZoneSigner} finds cuts. Each kind of warning lists its first
 * {@link #LISTED} cases with file and line, then how many more there are.
 */
final class ZoneCutChecks {
  /** Cases of one kind listed with their place; a zone with thousands of them gets a count of the rest. */
  static final int LISTED = 10;

  private ZoneCutChecks() {}

  /**
   * The notes about {@code records}, the zone's records in canonical order: one per kind found.
   *
   * @param read the records as read, with their places, which the warnings name
   */
  static List<String> check(Name origin, Record[] records, LocatedRecords read) {
    Map<Name, Record> nsTargets = new LinkedHashMap<>();
    Set<Name> addressOwners = new HashSet<>();
    for (Record r : records) {
      int type = r.getType();
      if (type == Type.NS) {
        Name target = ((NSRecord) r).getTarget();
        if (target.subdomain(origin)) {
          nsTargets.putIfAbsent(target, r);
        }
      } else if (type == Type.A || type == Type.AAAA) {
        addressOwners.add(r.getName());
      }
    }
    Listing occluded = new Listing("record(s) never served: they lie below a zone cut or a DNAME and are not glue "
        + "(RFC 1034 §4.2.1, RFC 6672 §2.3)");
    Name cut = apexDname(origin, records) ? origin : null;
    boolean cutIsDname = cut != null;
    int i = 0;
    while (i < records.length) {
      Name name = records[i].getName();
      int start = i;
      boolean hasNs = false;
      boolean hasDname = false;
      while (i < records.length && records[i].getName().equals(name)) {
        hasNs |= records[i].getType() == Type.NS;
        hasDname |= records[i].getType() == Type.DNAME;
        i++;
      }
      boolean below = cut != null && name.subdomain(cut) && !name.equals(cut);
      if (!below) {
        cut = null;
        if (hasNs && !name.equals(origin)) {
          cut = name;
          cutIsDname = false;
        } else if (hasDname) {
          cut = name;
          cutIsDname = true;
        }
      }
      boolean atDelegation = cut == name && !cutIsDname;
      if (!below && !atDelegation) {
        continue;
      }
      for (int k = start; k < i; k++) {
        int type = records[k].getType();
        boolean served = atDelegation && (type == Type.NS || type == Type.DS)
            || !(below && cutIsDname) && (type == Type.A || type == Type.AAAA) && nsTargets.containsKey(name);
        if (!served && (k == start || records[k - 1].getType() != type)) {
          occluded.add(new Case(name, type, name + "/" + Type.string(type) + (below ? " below " : " at ")
              + (cutIsDname ? "the DNAME at " : "the delegation ") + cut));
        }
      }
    }
    Listing missingGlue = new Listing("in-zone name server(s) without an A or AAAA record: resolvers cannot reach "
        + "them (RFC 1034 §4.2.1, RFC 9471 §3)");
    nsTargets.forEach((target, ns) -> {
      if (!addressOwners.contains(target)) {
        missingGlue.add(new Case(ns.getName(), Type.NS, "NS " + target + " of " + ns.getName()));
      }
    });
    if (missingGlue.count == 0 && occluded.count == 0) {
      return List.of();
    }
    Map<Name, Map<Integer, String>> places = places(read, missingGlue, occluded);
    List<String> warnings = new ArrayList<>(2);
    missingGlue.warning(places).ifPresent(warnings::add);
    occluded.warning(places).ifPresent(warnings::add);
    return warnings;
  }

  /** One case a warning lists: the owner and type whose first record's place it names. */
  private record Case(Name owner, int type, String text) {}

  /**
   * Where the first record of each listed case's owner and type was read ("file:line", or the source of records
   * without lines): one pass over the records as read, for the few owners listed.
   */
  private static Map<Name, Map<Integer, String>> places(LocatedRecords read, Listing... listings) {
    Map<Name, Map<Integer, String>> places = new HashMap<>();
    for (Listing listing : listings) {
      listing.listed.forEach(c -> places.computeIfAbsent(c.owner(), n -> new HashMap<>()));
    }
    for (int k = 0; k < read.count; k++) {
      Map<Integer, String> ofOwner = places.get(read.records[k].getName());
      if (ofOwner != null && !ofOwner.containsKey(read.records[k].getType())) {
        ofOwner.put(read.records[k].getType(),
            read.lines[k] == LocatedRecords.NO_LINE ? read.sourceOf(k) : read.sourceOf(k) + ":" + read.lines[k]);
      }
    }
    return places;
  }

  private static boolean apexDname(Name origin, Record[] records) {
    for (int i = 0; i < records.length && records[i].getName().equals(origin); i++) {
      if (records[i].getType() == Type.DNAME) {
        return true;
      }
    }
    return false;
  }

  /** The cases of one kind of warning: the first {@link #LISTED}, and how many in all. */
  private static final class Listing {
    private final String what;
    private final List<Case> listed = new ArrayList<>(LISTED);
    private int count;

    Listing(String what) {
      this.what = what;
    }

    void add(Case c) {
      if (count++ < LISTED) {
        listed.add(c);
      }
    }

    Optional<String> warning(Map<Name, Map<Integer, String>> places) {
      if (count == 0) {
        return Optional.empty();
      }
      List<String> cases = listed.stream()
          .map(c -> places.get(c.owner()).getOrDefault(c.type(), "?") + ": " + c.text()).toList();
      return Optional.of(count + " " + what + ": " + String.join("; ", cases)
          + (count > LISTED ? "; and " + (count - LISTED) + " more" : ""));
    }
  }
}
