package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.zone.CanonicalOrder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A small unsigned zone under {@code example.} that random edits change, for the property tests of incremental
 * signing and of the verification gate for a change. Its names are drawn from small pools so that edits meet:
 * authoritative names (apex, empty non-terminals above {@code a.b.c} and {@code x.y}, wildcards), CNAME-only names,
 * delegations (with and without DS, one below an empty non-terminal) and names below the cuts (glue and other
 * occluded data). It keeps the rules a loaded zone follows: one TTL per RRset (RFC 2181 §5.2), CNAME alone at its
 * name (RFC 1034 §3.6.2), DS only beside NS at a delegation (RFC 4035 §2.4), an apex NS RRset.
 */
public final class RandomZone {
  public static final Name ORIGIN = Name.fromConstantString("example.");
  private static final String[] DATA_NAMES = {"@", "www", "mail", "a.b.c", "x.y", "*.wild", "*.a.b.c", "txt", "e.f.g"};
  private static final String[] ALIAS_NAMES = {"alias", "alias.b.c"};
  private static final String[] DELEGATIONS = {"sub", "sec", "d.ent", "zz"};
  private static final String[] BELOW_CUTS = {"ns.sub", "ns.sec", "ns.d.ent", "deep.ns.sub", "a.zz"};
  private static final long[] TTLS = {300, 600, 3600, 86400};

  private final Random random;
  private final List<Record> records = new ArrayList<>();

  public RandomZone(Random random) {
    this.random = random;
    records.add(record("@", Type.SOA, 3600, "ns1.other.net. hostmaster.example. 1 7200 3600 1209600 300"));
    records.add(record("@", Type.NS, 3600, "ns1.other.net."));
    int initial = 3 + random.nextInt(7);
    for (int i = 0; i < initial; i++) {
      edit();
    }
  }

  /** The current records, in no particular order (the signer sorts). */
  public List<Record> records() {
    return List.copyOf(records);
  }

  /** Applies one random edit and returns it as the unsigned changes (records removed and added). */
  public ZoneDiff edit() {
    while (true) {
      ZoneDiff diff = tryEdit(random.nextInt(100));
      if (diff != null) {
        return diff;
      }
    }
  }

  /** One edit of the kind that {@code dice} (0..99) picks, or null if it does not apply to the zone as it is. */
  private ZoneDiff tryEdit(int dice) {
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    if (dice < 30) {
      String name = pick(DATA_NAMES);
      int type = new int[] {Type.A, Type.AAAA, Type.TXT, Type.MX}[random.nextInt(4)];
      added.add(record(name, type, ttlOf(name, type), rdata(type)));
    } else if (dice < 35) {
      String name = pick(ALIAS_NAMES);
      removed.addAll(matching(r -> r.getName().equals(name(name))));
      added.add(record(name, Type.CNAME, ttlOf(name, Type.CNAME), random.nextBoolean() ? "www.example."
          : "target" + random.nextInt(5) + ".example.net."));
    } else if (dice < 45) {
      String name = pick(DELEGATIONS);
      if (random.nextInt(3) == 0) {
        // In bailiwick: the name server's address is glue below the cut (RFC 1034 §4.2.1).
        added.add(record(name, Type.NS, ttlOf(name, Type.NS), "ns." + name + ".example."));
        if (matching(r -> r.getName().equals(name("ns." + name)) && r.getType() == Type.A).isEmpty()) {
          added.add(record("ns." + name, Type.A, ttlOf("ns." + name, Type.A), rdata(Type.A)));
        }
      } else {
        added.add(record(name, Type.NS, ttlOf(name, Type.NS), "ns" + random.nextInt(4) + ".other.net."));
      }
    } else if (dice < 52) {
      String name = pick(DELEGATIONS);
      if (matching(r -> r.getName().equals(name(name)) && r.getType() == Type.NS).isEmpty()) {
        return null;
      }
      added.add(record(name, Type.DS, ttlOf(name, Type.DS), rdata(Type.DS)));
    } else if (dice < 60) {
      String name = pick(BELOW_CUTS);
      int type = new int[] {Type.A, Type.AAAA, Type.TXT}[random.nextInt(3)];
      added.add(record(name, type, ttlOf(name, type), rdata(type)));
    } else if (dice < 85) {
      List<Record> candidates = matching(r -> r.getType() != Type.SOA
          && !(r.getType() == Type.NS && r.getName().equals(ORIGIN)));
      if (candidates.isEmpty()) {
        return null;
      }
      removed.add(candidates.get(random.nextInt(candidates.size())));
      withDependents(removed);
    } else if (dice < 90) {
      List<Record> candidates = matching(r -> !r.getName().equals(ORIGIN));
      if (candidates.isEmpty()) {
        return null;
      }
      Name owner = candidates.get(random.nextInt(candidates.size())).getName();
      removed.addAll(matching(r -> r.getName().equals(owner)));
      withDependents(removed);
    } else if (dice < 98) {
      List<Record> candidates = matching(r -> r.getType() != Type.SOA);
      if (candidates.isEmpty()) {
        return null;
      }
      Record one = candidates.get(random.nextInt(candidates.size()));
      long ttl = TTLS[random.nextInt(TTLS.length)];
      if (ttl == one.getTTL()) {
        return null;
      }
      for (Record r : matching(o -> o.getName().equals(one.getName()) && o.getType() == one.getType())) {
        removed.add(r);
        added.add(Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, r.rdataToWireCanonical()));
      }
    } else {
      // SOA TTL and MINIMUM set the NSEC/NSEC3 TTL (RFC 9077 §3): every denial record changes.
      SOARecord soa = (SOARecord) matching(r -> r.getType() == Type.SOA).get(0);
      long minimum = TTLS[random.nextInt(TTLS.length)];
      removed.add(soa);
      added.add(new SOARecord(ORIGIN, DClass.IN, TTLS[random.nextInt(TTLS.length)], soa.getHost(), soa.getAdmin(),
          soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), minimum));
    }
    for (Record a : added) {
      boolean present = records.stream().anyMatch(r -> CanonicalOrder.RECORDS.compare(r, a) == 0);
      boolean removedToo = removed.stream().anyMatch(r -> CanonicalOrder.RECORDS.compare(r, a) == 0);
      if (present && !removedToo) {
        return null;
      }
    }
    records.removeAll(removed);
    records.addAll(added);
    return new ZoneDiff(removed, added);
  }

  /**
   * Adds to {@code removed} what may not stay without it: an in-zone NS whose target loses its last address (the
   * glue), then the DS of a delegation that loses its last NS.
   */
  private void withDependents(List<Record> removed) {
    List<Record> after = new ArrayList<>(records);
    after.removeAll(removed);
    for (Record r : List.copyOf(after)) {
      if (r instanceof NSRecord ns && ns.getTarget().subdomain(ORIGIN) && after.stream()
          .noneMatch(a -> a.getName().equals(ns.getTarget()) && (a.getType() == Type.A || a.getType() == Type.AAAA))) {
        removed.add(r);
        after.remove(r);
      }
    }
    for (Record r : List.copyOf(after)) {
      if (r.getType() == Type.DS
          && after.stream().noneMatch(a -> a.getName().equals(r.getName()) && a.getType() == Type.NS)) {
        removed.add(r);
        after.remove(r);
      }
    }
  }

  private List<Record> matching(Predicate<Record> p) {
    return records.stream().filter(p).toList();
  }

  /** The TTL of the existing RRset, so an added record joins it with the same TTL (RFC 2181 §5.2), or a random one. */
  private long ttlOf(String name, int type) {
    Name owner = name(name);
    return records.stream().filter(r -> r.getName().equals(owner) && r.getType() == type).map(Record::getTTL)
        .findFirst().orElse(TTLS[random.nextInt(TTLS.length)]);
  }

  private String rdata(int type) {
    return switch (type) {
      case Type.A -> "192.0.2." + (1 + random.nextInt(6));
      case Type.AAAA -> "2001:db8::" + (1 + random.nextInt(6));
      case Type.TXT -> "\"t" + random.nextInt(6) + "\"";
      case Type.MX -> (10 * (1 + random.nextInt(3))) + " mail.example.";
      case Type.DS -> {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        yield random.nextInt(65536) + " 13 2 " + HexFormat.of().formatHex(digest);
      }
      default -> throw new IllegalArgumentException(Type.string(type));
    };
  }

  private String pick(String[] names) {
    return names[random.nextInt(names.length)];
  }

  private static Name name(String relative) {
    return relative.equals("@") ? ORIGIN : Name.fromConstantString(relative + "." + ORIGIN);
  }

  private static Record record(String name, int type, long ttl, String rdata) {
    try {
      return Record.fromString(name(name), type, DClass.IN, ttl, rdata, ORIGIN);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " " + Type.string(type) + " " + rdata, e);
    }
  }
}
