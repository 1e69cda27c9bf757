package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.utils.base32;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Signs a change to a zone's unsigned content as a change to its previous signed version, touching only what the
 * change reaches (reference notes §6, "incremental" mode, carried to its end): the RRsets that changed, the names whose
 * RRSIGs are due ({@link SignatureRefresh}), the NSEC records of those names and of their neighbours in the chain
 * (RFC 4034 §4.1.1: the predecessor's next name changes when a name enters or leaves the zone), and the SOA with its
 * new serial; in an NSEC3 zone, the NSEC3 records of the touched names, of their ancestors (empty non-terminals,
 * RFC 5155 §7.1) and of their predecessors in hash order. The rest of a million-name zone is not read: names are found
 * by binary search in the compact form.
 *
 * <p>The records it makes equal those of {@link ZoneSigner#resign} for the same input: the same zone cuts (RFC 4035
 * §2.2), NSEC type bitmaps (RFC 4035 §2.3), TTLs (RFC 9077 §3), keys per RRset and signature validity with spread
 * expirations; it runs the same per-name code. It declines ({@link Result.NeedsFullSigning}) what it does not
 * handle, and the caller then signs in full: a changed key set, a change of which keys sign what (a roll's step),
 * denial of existence setting or negative TTL, a zone cut or DNAME that appears or goes away above names that stay,
 * and more due signatures than a full signing would make anyway.
 */
public final class ChangeSigner {

  /**
   * Above this share of owner names with due RRSIGs, the change is left to a full incremental signing, whose parallel
   * pass over the zone is then cheaper than looking names up one by one; no official reference.
   */
  static final int MAX_DUE_OWNERS_PERCENT = 10;

  /** Owner names with due RRSIGs that are always looked up one by one, whatever the zone's size: a few ms. */
  static final int DUE_OWNERS_ALWAYS_HANDLED = 1000;

  private final Clock clock;

  /** @param clock the source of "now" for inception, expiration and whether a signature is due */
  public ChangeSigner(Clock clock) {
    this.clock = clock;
  }

  /** What {@link #sign} did. */
  public sealed interface Result {
    /**
     * The signed change.
     *
     * @param change the records the new signed version removes from the previous one and adds to it
     * @param stats the counts of the whole new signed version
     */
    record Signed(CompactDiff change, SigningCounts stats) implements Result {}

    /**
     * The change is not one this signer handles; sign the new version with {@link ZoneSigner} instead.
     *
     * @param reason why, for the log
     */
    record NeedsFullSigning(String reason) implements Result {}
  }

  /**
   * Signs {@code unsignedChange}, a change to the unsigned zone that {@code previous} was signed from.
   *
   * @param origin the apex
   * @param previous the previous signed version, as a signing made it
   * @param unsignedChange the records the new unsigned version removes and adds (its SOA among them when it changed)
   * @param keys the keys to sign with, the same as signed {@code previous}
   * @param dnskeyTtl TTL of the DNSKEY RRset
   * @param policy the signing policy
   * @param signedSerial the serial to put in the SOA
   */
  public Result sign(Name origin, CompactRecords previous, CompactDiff unsignedChange, List<SigningKey> keys,
      long dnskeyTtl, SigningPolicy policy, long signedSerial) {
    Instant now = clock.instant();
    if (previous.isEmpty() || previous.find(origin) != 0) {
      return declined("the previous signed version has no apex");
    }
    List<Record> apex = previous.recordsOf(0);
    boolean nsec3 = policy.denial() == SigningPolicy.Denial.NSEC3;
    boolean hasNsec = apex.stream().anyMatch(r -> r.getType() == Type.NSEC);
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) apex.stream().filter(r -> r instanceof NSEC3PARAMRecord)
        .findFirst().orElse(null);
    if (apex.stream().anyMatch(r -> r.getType() == Type.DNAME)) {
      return declined("the apex has a DNAME");
    }
    if (nsec3 ? hasNsec || param == null || param.getIterations() != policy.nsec3Iterations()
        || param.getFlags() != 0 || !Arrays.equals(saltOf(param), policy.nsec3Salt()) : !hasNsec || param != null) {
      return declined("the previous signed version was made with other denial of existence settings");
    }
    if (!sameKeySet(origin, apex, keys, dnskeyTtl)) {
      return declined("the key set changed");
    }
    if (!sameSigners(apex, Type.SOA, keys, false) || !sameSigners(apex, Type.DNSKEY, keys, true)) {
      return declined("the keys' uses changed: other keys sign the zone or its DNSKEY RRset");
    }
    Zone zone = new Zone(origin, previous);
    String refused = zone.apply(unsignedChange, signedSerial);
    if (refused != null) {
      return declined(refused);
    }
    int[] due = SignatureRefresh.dueOwners(previous, policy, now);
    if (due.length > DUE_OWNERS_ALWAYS_HANDLED
        && (long) due.length * 100 > (long) previous.ownerCount() * MAX_DUE_OWNERS_PERCENT) {
      return declined(due.length + " of " + previous.ownerCount() + " names have RRSIGs due");
    }
    List<Name> dueNsec3Owners = new ArrayList<>();
    for (int owner : due) {
      if (previous.hasType(owner, Type.NSEC3)) {
        dueNsec3Owners.add(previous.ownerName(owner));
      } else {
        zone.touch(previous.ownerName(owner));
      }
    }
    SOARecord soa = (SOARecord) zone.records(origin).stream().filter(r -> r instanceof SOARecord).findFirst()
        .orElse(null);
    if (soa == null) {
      return declined("the change leaves the apex without an SOA");
    }
    // RFC 9077 §3: NSEC/NSEC3 TTL = min(SOA MINIMUM, SOA TTL); every denial record of the zone has it, and the
    // NSEC3PARAM follows them.
    long denialTtl = Math.min(soa.getMinimum(), soa.getTTL());
    if (apex.stream().anyMatch(r -> (r.getType() == Type.NSEC || r.getType() == Type.NSEC3PARAM)
        && r.getTTL() != denialTtl)) {
      return declined("the SOA's negative caching TTL changed, and with it every denial record's TTL");
    }
    refused = zone.checkCuts();
    if (refused == null && zone.spelledTwice != null) {
      refused = zone.spelledTwice + " is spelled in two cases in the previous version";
    }
    if (refused != null) {
      return declined(refused);
    }
    HashChain chain = null;
    if (nsec3) {
      chain = new HashChain(zone, policy, denialTtl);
      refused = chain.findChanges(dueNsec3Owners);
      if (refused != null) {
        return declined(refused);
      }
    }
    return zone.sign(keys, dnskeyTtl, policy, SignatureValidity.spread(now, policy), denialTtl, now, chain);
  }

  /** The NSEC3PARAM's salt, empty for none (dnsjava gives null then). */
  private static byte[] saltOf(NSEC3PARAMRecord param) {
    return param.getSalt() == null ? new byte[0] : param.getSalt();
  }

  private static Result declined(String reason) {
    return new Result.NeedsFullSigning(reason);
  }

  /** Whether the previous apex publishes exactly the DNSKEY RRset that the published {@code keys} make. */
  private static boolean sameKeySet(Name origin, List<Record> apex, List<SigningKey> keys, long dnskeyTtl) {
    Set<String> published = new HashSet<>();
    for (Record r : apex) {
      if (r instanceof DNSKEYRecord k) {
        if (k.getTTL() != dnskeyTtl) {
          return false;
        }
        published.add(Arrays.toString(k.rdataToWireCanonical()));
      }
    }
    Set<String> wanted = new HashSet<>();
    for (SigningKey key : keys) {
      if (!key.dnskey().getName().equals(origin)) {
        return false;
      }
      if (ZoneSigner.published(key)) {
        wanted.add(Arrays.toString(key.dnskey().rdataToWireCanonical()));
      }
    }
    return published.equals(wanted);
  }

  /**
   * Whether the previous apex's RRset of {@code type} is signed by exactly the keys (algorithm and key tag) that sign
   * it now ({@link ZoneSigner#signers}). The apex's SOA and DNSKEY RRsets are signed in every version, by all the
   * keys that sign the zone and the DNSKEY RRset: when the same keys sign them, every RRSIG of a name the change
   * does not reach is still by a key that signs its kind of RRset, and no key that signs now lacks one there.
   */
  private static boolean sameSigners(List<Record> apex, int type, List<SigningKey> keys, boolean keySigning) {
    Set<Integer> signed = new HashSet<>();
    for (Record r : apex) {
      if (r instanceof RRSIGRecord sig && sig.getTypeCovered() == type) {
        signed.add(sig.getAlgorithm() << 16 | sig.getFootprint());
      }
    }
    Set<Integer> signing = new HashSet<>();
    for (int k : ZoneSigner.signers(keys, keySigning)) {
      signing.add(keys.get(k).algorithm() << 16 | keys.get(k).keyTag());
    }
    return signed.equals(signing);
  }

  /**
   * The new version as a view: the previous signed version, plus the new unsigned records of the names the change
   * touches. Names are compared in canonical order ({@link Name#compareTo}, RFC 4034 §6.1).
   */
  private static final class Zone {
    private final Name origin;
    private final CompactRecords previous;
    /** Per touched name, its new unsigned records, empty if it leaves the zone. */
    private final NavigableMap<Name, List<Record>> touched = new TreeMap<>();
    /** A touched name the previous version holds in two spellings, if any. */
    private Name spelledTwice;

    Zone(Name origin, CompactRecords previous) {
      this.origin = origin;
      this.previous = previous;
      touch(origin);
    }

    /**
     * Adds {@code name} to the touched names with its previous unsigned records, if it is not there yet. A name
     * stored in two spellings (case differs, RFC 4343) is two owner groups, of which the lookup finds one; such a
     * name is noted, and the change declined.
     */
    void touch(Name name) {
      touched.computeIfAbsent(name, n -> {
        int owner = previous.find(n);
        List<Record> records = new ArrayList<>();
        if (owner >= 0) {
          if ((owner > 0 && previous.ownerName(owner - 1).equals(n))
              || (owner + 1 < previous.ownerCount() && previous.ownerName(owner + 1).equals(n))) {
            spelledTwice = n;
          }
          for (Record r : previous.recordsOf(owner)) {
            if (!ZoneSigner.isGenerated(r.getType())) {
              records.add(r);
            }
          }
        }
        return records;
      });
    }

    /** The new records of a touched name. */
    List<Record> records(Name name) {
      return touched.get(name);
    }

    /**
     * Applies the unsigned change to the touched names: removes match owner, type, class and RDATA (an SOA at the
     * apex only by type, as the previous one carries the signed serial), and the apex SOA gets {@code signedSerial}.
     * Returns null, or why the change does not apply.
     */
    String apply(CompactDiff change, long signedSerial) {
      List<Record> removed = change.removed().toRecords();
      List<Record> added = change.added().toRecords();
      for (Record r : removed) {
        String refused = checkInput(r);
        if (refused != null) {
          return refused;
        }
        touch(r.getName());
        List<Record> at = touched.get(r.getName());
        boolean apexSoa = r.getType() == Type.SOA && r.getName().equals(origin);
        if (!at.removeIf(old -> apexSoa ? old.getType() == Type.SOA : CanonicalOrder.RECORDS.compare(old, r) == 0)) {
          return "the change removes " + r + ", which the previous version does not have";
        }
      }
      for (Record r : added) {
        String refused = checkInput(r);
        if (refused != null) {
          return refused;
        }
        touch(r.getName());
        List<Record> at = touched.get(r.getName());
        if (r.getType() == Type.SOA && r.getName().equals(origin)) {
          at.removeIf(old -> old.getType() == Type.SOA);
        } else if (at.stream().anyMatch(old -> CanonicalOrder.RECORDS.compare(old, r) == 0)) {
          return "the change adds " + r + ", which the previous version has already";
        }
        at.add(r);
      }
      for (Map.Entry<Name, List<Record>> entry : touched.entrySet()) {
        List<Record> at = entry.getValue();
        at.replaceAll(r -> r instanceof SOARecord s && r.getName().equals(origin)
            ? new SOARecord(origin, s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), signedSerial, s.getRefresh(),
                s.getRetry(), s.getExpire(), s.getMinimum())
            : r);
        at.sort(CanonicalOrder.RECORDS);
        for (int i = 1; i < at.size(); i++) {
          if (at.get(i).getType() == at.get(i - 1).getType() && at.get(i).getTTL() != at.get(i - 1).getTTL()) {
            return "RRset " + entry.getKey() + "/" + Type.string(at.get(i).getType())
                + " has differing TTLs (RFC 2181 §5.2)";
          }
        }
      }
      return null;
    }

    /** Null, or why {@code r} cannot be in an unsigned zone of {@link #origin}. */
    private String checkInput(Record r) {
      if (!r.getName().subdomain(origin)) {
        return r.getName() + " is outside the zone " + origin;
      }
      if (ZoneSigner.isGenerated(r.getType())) {
        return "the unsigned change has " + Type.string(r.getType()) + " at " + r.getName();
      }
      return null;
    }

    /**
     * Null, or why a zone cut or DNAME that the change adds or removes needs a full signing: a name below it that
     * stays in the zone would change between authoritative and occluded (RFC 4035 §2.2), and that name may be
     * anywhere below. Names below it that come or go with the change are classified afresh anyway.
     */
    String checkCuts() {
      for (Map.Entry<Name, List<Record>> entry : touched.entrySet()) {
        Name name = entry.getKey();
        if (name.equals(origin)) {
          continue;
        }
        int owner = previous.find(name);
        boolean wasCut = owner >= 0 && (previous.hasType(owner, Type.NS) || previous.hasType(owner, Type.DNAME));
        boolean isCut = entry.getValue().stream().anyMatch(r -> r.getType() == Type.NS || r.getType() == Type.DNAME);
        boolean dnameChanged = (owner >= 0 && previous.hasType(owner, Type.DNAME))
            != entry.getValue().stream().anyMatch(r -> r.getType() == Type.DNAME);
        if (wasCut == isCut && !dnameChanged) {
          continue;
        }
        int below = owner >= 0 ? owner + 1 : -owner - 1;
        for (; below < previous.ownerCount(); below++) {
          Name descendant = previous.ownerName(below);
          if (!descendant.subdomain(name)) {
            break;
          }
          List<Record> now = touched.get(descendant);
          if (now == null || !now.isEmpty()) {
            return "the zone cut at " + name + " changes, and " + descendant + " below it stays in the zone";
          }
        }
      }
      return null;
    }

    /** Whether {@code name} has records in the new version. */
    private boolean exists(Name name) {
      List<Record> now = touched.get(name);
      return now != null ? !now.isEmpty() : previous.find(name) >= 0;
    }

    /** Whether {@code name} has a record of {@code type} in the new version. */
    private boolean has(Name name, int type) {
      List<Record> now = touched.get(name);
      if (now != null) {
        return now.stream().anyMatch(r -> r.getType() == type);
      }
      int owner = previous.find(name);
      return owner >= 0 && previous.hasType(owner, type);
    }

    /** How {@code name} takes part in the new version (RFC 4035 §2.2; RFC 6672 §2.3 for DNAME). */
    ZoneSigner.Kind kind(Name name) {
      if (name.equals(origin)) {
        return ZoneSigner.Kind.AUTHORITATIVE;
      }
      for (int labels = origin.labels() + 1; labels < name.labels(); labels++) {
        Name ancestor = new Name(name, name.labels() - labels);
        if (has(ancestor, Type.NS) || has(ancestor, Type.DNAME)) {
          return ZoneSigner.Kind.OCCLUDED;
        }
      }
      return has(name, Type.NS) ? ZoneSigner.Kind.DELEGATION : ZoneSigner.Kind.AUTHORITATIVE;
    }

    /** The new records of {@code name}: those of a touched name, else the previous unsigned ones (maybe none). */
    List<Record> unsignedRecords(Name name) {
      List<Record> changed = touched.get(name);
      if (changed != null) {
        return changed;
      }
      int owner = previous.find(name);
      return owner < 0 ? List.of()
          : previous.recordsOf(owner).stream().filter(r -> !ZoneSigner.isGenerated(r.getType())).toList();
    }

    /**
     * Whether {@code name} has an NSEC in the new version. An untouched name keeps its previous state: it is not
     * below a cut that changed ({@link #checkCuts}).
     */
    private boolean inChain(Name name) {
      if (touched.containsKey(name)) {
        return exists(name) && kind(name) != ZoneSigner.Kind.OCCLUDED;
      }
      return has(name, Type.NSEC);
    }

    /** The next name of the chain after {@code name} in the new version, the apex after the last (RFC 4034 §4.1.1). */
    Name successor(Name name) {
      int at = previous.find(name);
      int owner = at >= 0 ? at + 1 : -at - 1;
      Name candidate = name;
      while (true) {
        Name fromPrevious = owner < previous.ownerCount() ? previous.ownerName(owner) : null;
        Name fromTouched = touched.higherKey(candidate);
        if (fromPrevious == null && fromTouched == null) {
          return origin;
        }
        if (fromTouched == null || (fromPrevious != null && fromPrevious.compareTo(fromTouched) <= 0)) {
          candidate = fromPrevious;
          owner++;
        } else {
          candidate = fromTouched;
        }
        if (inChain(candidate)) {
          return candidate;
        }
      }
    }

    /** The name of the chain before {@code name} in the new version; the apex, first of all, ends the search. */
    Name predecessor(Name name) {
      int at = previous.find(name);
      int owner = (at >= 0 ? at : -at - 1) - 1;
      Name candidate = name;
      while (true) {
        Name fromPrevious = owner >= 0 ? previous.ownerName(owner) : null;
        Name fromTouched = touched.lowerKey(candidate);
        if (fromTouched == null || (fromPrevious != null && fromPrevious.compareTo(fromTouched) >= 0)) {
          candidate = fromPrevious;
          owner--;
        } else {
          candidate = fromTouched;
        }
        if (candidate.equals(origin) || inChain(candidate)) {
          return candidate;
        }
      }
    }

    /**
     * Signs the window of names the change reaches: the touched names and the chain predecessor of each, whose next
     * name may change. Their previous records are the previous version of the window; the per-name signing code of
     * {@link ZoneSigner} carries over the RRSIGs it may and makes the rest, and the difference of the window is the
     * difference of the zone, as nothing outside it changes.
     */
    Result sign(List<SigningKey> keys, long dnskeyTtl, SigningPolicy policy, SignatureValidity validity,
        long denialTtl, Instant now, HashChain chain) {
      TreeSet<Name> window = new TreeSet<>(touched.keySet());
      if (chain == null) {
        for (Name name : touched.keySet()) {
          if (!name.equals(origin)) {
            window.add(predecessor(name));
          }
        }
      } else {
        window.addAll(chain.owners);
      }
      List<Record> before = new ArrayList<>();
      List<Record> after = new ArrayList<>();
      for (Name name : window) {
        int owner = previous.find(name);
        List<Record> old = owner >= 0 ? previous.recordsOf(owner) : List.of();
        before.addAll(old);
        after.addAll(unsignedRecords(name));
      }
      Record[] records = ZoneSigner.withApexAdditions(
          origin, after.toArray(new Record[0]), keys, dnskeyTtl, chain == null ? null : chain.param());
      List<ZoneSigner.Node> nodes = new ArrayList<>();
      for (int i = 0; i < records.length; ) {
        Name name = records[i].getName();
        int from = i;
        while (i < records.length && records[i].getName().equals(name)) {
          i++;
        }
        ZoneSigner.Node node = new ZoneSigner.Node(name, from, i, kind(name));
        if (node.kind != ZoneSigner.Kind.OCCLUDED && chain == null) {
          node.next = successor(name);
        }
        nodes.add(node);
      }
      if (chain != null) {
        nodes.addAll(chain.nodes);
        nodes.sort((a, b) -> a.name.compareTo(b.name));
      }
      PreviousVersion previousWindow = new PreviousVersion(origin, before, keys, policy, now);
      RrsetSigner.PreparedKey[] prepared =
          keys.stream().map(RrsetSigner.PreparedKey::of).toArray(RrsetSigner.PreparedKey[]::new);
      RrsetSigner signer = new RrsetSigner(prepared, origin, validity.inception);
      int[] dnskeySigners = ZoneSigner.signers(keys, true);
      int[] otherSigners = ZoneSigner.signers(keys, false);
      List<RRSIGRecord> sigs = new ArrayList<>();
      for (ZoneSigner.Node node : nodes) {
        ZoneSigner.signNode(records, node, signer, dnskeySigners, otherSigners, denialTtl, validity, previousWindow,
            sigs);
      }
      ZoneSigner.DiffingSink sink = new ZoneSigner.DiffingSink(previousWindow.records, before.size() + 16);
      long[] windowCounts = new long[3];
      ZoneSigner.Node[] ordered = nodes.toArray(new ZoneSigner.Node[0]);
      ZoneSigner.Emitter emitter = new ZoneSigner.Emitter(records, ordered, sink, windowCounts, Progress.NONE);
      for (int chunk = 0; chunk * ZoneSigner.CHUNK < ordered.length; chunk++) {
        emitter.emitChunk(chunk);
      }
      ZoneDiff diff = sink.diff();
      return new Result.Signed(
          new CompactDiff(CompactRecords.of(diff.removed()), CompactRecords.of(diff.added())),
          stats(previousWindow.records, sink.records, windowCounts[2]));
    }

    /**
     * The counts of the whole new version: those of the previous one, with the window's records replaced. Reused
     * RRSIGs are all but those made now.
     */
    private SigningCounts stats(Record[] windowBefore, List<Record> windowAfter, long windowReused) {
      long[] counts = new long[3];
      CompactRecords.Cursor cursor = previous.cursor();
      while (cursor.next()) {
        count(cursor.type(), counts, 1);
      }
      for (Record r : windowBefore) {
        count(r.getType(), counts, -1);
      }
      long windowRrsigs = 0;
      for (Record r : windowAfter) {
        count(r.getType(), counts, 1);
        windowRrsigs += r.getType() == Type.RRSIG ? 1 : 0;
      }
      long made = windowRrsigs - windowReused;
      return new SigningCounts(counts[0], counts[1], counts[2], counts[2] - made, 1);
    }

    /** Adds {@code sign} to the count of unsigned records, NSECs or RRSIGs that a record of {@code type} is in. */
    private static void count(int type, long[] counts, int sign) {
      if (type == Type.RRSIG) {
        counts[2] += sign;
      } else if (type == Type.NSEC || type == Type.NSEC3) {
        counts[1] += sign;
      } else if (!ZoneSigner.isGenerated(type)) {
        counts[0] += sign;
      }
    }
  }
  /**
   * The NSEC3 chain of the new version where the change reaches it (RFC 5155 §7.1): the hashed owners of the touched
   * names and of the empty non-terminals above them, whose entries may come, go or get another type bitmap, and the
   * predecessor in hash order of every entry that comes or goes, whose next hashed owner changes (RFC 5155 §3.1.7).
   * NSEC3 owners sort in hash order among the apex's children (base32hex keeps the order, RFC 4648 §7), so the
   * neighbours are found by walking the compact version from the hashed owner's place.
   */
  private static final class HashChain {
    /** Names below an empty non-terminal looked at to decide whether it stays in the chain; beyond: declined. */
    private static final int MAX_DESCENDANTS_SCANNED = 10_000;

    /** Sorts after every SHA-1 hash (20 octets) in unsigned order, to start a backward walk at the end. */
    private static final byte[] AFTER_ALL = new byte[21];

    static {
      Arrays.fill(AFTER_ALL, (byte) 0xff);
    }

    private final Zone zone;
    private final Name origin;
    private final CompactRecords previous;
    private final SigningPolicy policy;
    private final ZoneSigner.Nsec3Shape shape;
    private final MessageDigest sha1 = ZoneSigner.sha1();
    private final base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, true);
    /** Per hash the change reaches: its bitmap in the new version, null if it has no entry there. */
    private final TreeMap<byte[], int[]> entries = new TreeMap<>(Arrays::compareUnsigned);
    /** The hashed owner names whose records are made again (or removed): part of the window. */
    final Set<Name> owners = new TreeSet<>();
    /** The NSEC3 records to make, one node each. */
    final List<ZoneSigner.Node> nodes = new ArrayList<>();

    HashChain(Zone zone, SigningPolicy policy, long ttl) {
      this.zone = zone;
      this.origin = zone.origin;
      this.previous = zone.previous;
      this.policy = policy;
      this.shape = new ZoneSigner.Nsec3Shape(policy.optOut() ? NSEC3Record.Flags.OPT_OUT : 0,
          policy.nsec3Iterations(), policy.nsec3Salt(), ttl);
    }

    /** The NSEC3PARAM the full signer makes (RFC 5155 §4.1.2: flags 0; TTL as the NSEC3 records'). */
    NSEC3PARAMRecord param() {
      return new NSEC3PARAMRecord(origin, DClass.IN, shape.ttl(), NSEC3Record.SHA1_DIGEST_ID, 0, shape.iterations(),
          shape.salt());
    }

    /**
     * Finds the entries that change and the NSEC3 records to make; null, or why the change is declined.
     *
     * @param dueOwners hashed owner names whose RRSIG is due, re-signed with their entry unchanged
     */
    String findChanges(List<Name> dueOwners) {
      Set<Name> candidates = new TreeSet<>();
      for (Name name : zone.touched.keySet()) {
        candidates.add(name);
        for (int labels = origin.labels() + 1; labels < name.labels(); labels++) {
          candidates.add(new Name(name, name.labels() - labels));
        }
      }
      List<byte[]> comeOrGo = new ArrayList<>();
      for (Name name : candidates) {
        if (!zone.touched.containsKey(name) && !zone.unsignedRecords(name).isEmpty()) {
          continue;  // an existing name the change does not touch keeps its entry
        }
        byte[] hash = ZoneSigner.hash(sha1, name, shape.salt(), shape.iterations());
        Name owner = owner(hash);
        int at = previous.find(owner);
        if (at >= 0 && !zone.unsignedRecords(owner).isEmpty()) {
          return "the NSEC3 owner " + owner + " is also a name of the zone";
        }
        NSEC3Record old = at >= 0 ? nsec3(at) : null;
        if (name.equals(origin) && (old == null || old.getFlags() != shape.flags())) {
          return "the previous NSEC3 chain has other flags or no entry for the apex";
        }
        int[] types;
        try {
          types = entry(name);
        } catch (IllegalStateException e) {
          return e.getMessage();
        }
        entries.put(hash, types);
        if ((old != null) != (types != null)) {
          comeOrGo.add(hash);
        }
      }
      for (Name owner : dueOwners) {
        byte[] hash = hashOf(owner);
        if (!entries.containsKey(hash)) {  // not putIfAbsent: an entry that leaves the chain is mapped to null
          entries.put(hash, nsec3(previous.find(owner)).getTypes());
        }
      }
      for (byte[] hash : comeOrGo) {
        byte[] before = predecessor(hash);
        if (before != null && !entries.containsKey(before)) {
          entries.put(before, nsec3(previous.find(owner(before))).getTypes());
        }
      }
      for (Map.Entry<byte[], int[]> entry : entries.entrySet()) {
        Name owner = owner(entry.getKey());
        owners.add(owner);
        if (entry.getValue() != null) {
          nodes.add(new ZoneSigner.HashedNode(owner, successor(entry.getKey()), entry.getValue(), shape));
        }
      }
      return null;
    }

    /**
     * The type bitmap of {@code name}'s entry in the new version, as the full signer makes it; null if it has
     * none: occluded, an opt-out delegation (RFC 5155 §6), or an empty non-terminal with no entry below it.
     */
    private int[] entry(Name name) {
      ZoneSigner.Kind kind = zone.kind(name);
      if (kind == ZoneSigner.Kind.OCCLUDED) {
        return null;
      }
      List<Record> records = new ArrayList<>(zone.unsignedRecords(name));
      if (records.isEmpty()) {
        return hasEntryBelow(name) ? new int[0] : null;
      }
      if (kind == ZoneSigner.Kind.DELEGATION && policy.optOut()
          && records.stream().noneMatch(r -> r.getType() == Type.DS)) {
        return null;
      }
      Record[] sorted = records.toArray(new Record[0]);
      Arrays.sort(sorted, (a, b) -> Integer.compare(a.getType(), b.getType()));
      int[] types = ZoneSigner.bitmapTypes(sorted, new ZoneSigner.Node(name, 0, sorted.length, kind), -1);
      if (name.equals(origin)) {
        types = Arrays.copyOf(types, types.length + 2);
        types[types.length - 2] = Type.DNSKEY;
        types[types.length - 1] = Type.NSEC3PARAM;
      }
      return types;
    }

    /** Whether a name below {@code ent} has an entry in the new version (so {@code ent} has one, RFC 5155 §7.1). */
    private boolean hasEntryBelow(Name ent) {
      Set<Name> below = new TreeSet<>();
      int at = previous.find(ent);
      for (int owner = at >= 0 ? at + 1 : -at - 1; owner < previous.ownerCount(); owner++) {
        Name name = previous.ownerName(owner);
        if (!name.subdomain(ent)) {
          break;
        }
        below.add(name);
        if (below.size() > MAX_DESCENDANTS_SCANNED) {
          throw new IllegalStateException("more than " + MAX_DESCENDANTS_SCANNED + " names below " + ent);
        }
      }
      zone.touched.tailMap(ent, false).keySet().stream().takeWhile(name -> name.subdomain(ent)).forEach(below::add);
      for (Name name : below) {
        if (!zone.unsignedRecords(name).isEmpty() && entry(name) != null) {
          return true;
        }
      }
      return false;
    }

    /** The next hash of the new chain after {@code hash}, the first after the last (RFC 5155 §3.1.7). */
    private byte[] successor(byte[] hash) {
      return walk(hash, true);
    }

    /** The hash of the new chain before {@code hash}; null if the chain has no other. */
    private byte[] predecessor(byte[] hash) {
      byte[] before = walk(hash, false);
      return Arrays.equals(before, hash) ? null : before;
    }

    /**
     * Walks the new chain from {@code hash} forwards or backwards: the previous version's NSEC3 owners, as the
     * change leaves them, merged with the entries the change makes. Returns {@code hash} itself if no other entry
     * is found all the way round.
     */
    private byte[] walk(byte[] hash, boolean forwards) {
      int step = forwards ? 1 : -1;
      int at = previous.find(owner(hash));
      int owner = at >= 0 ? at + step : (forwards ? -at - 1 : -at - 2);
      byte[] key = hash;
      boolean wrapped = false;
      while (true) {
        byte[] fromPrevious = null;
        while (owner > 0 && owner < previous.ownerCount()) {
          if (previous.hasType(owner, Type.NSEC3)) {
            fromPrevious = hashOf(previous.ownerName(owner));
            break;
          }
          owner += step;
        }
        byte[] fromEntries = forwards ? entries.higherKey(key) : entries.lowerKey(key);
        if (fromPrevious == null && fromEntries == null) {
          if (wrapped) {
            return hash;
          }
          wrapped = true;
          owner = forwards ? 1 : previous.ownerCount() - 1;
          key = forwards ? new byte[0] : AFTER_ALL;
          continue;
        }
        byte[] next;
        if (fromPrevious != null && entries.containsKey(fromPrevious)) {
          owner += step;  // the entry decides about this hash
          continue;
        }
        if (fromEntries == null
            || (fromPrevious != null && Arrays.compareUnsigned(fromPrevious, fromEntries) * step < 0)) {
          next = fromPrevious;
          owner += step;
        } else {
          next = fromEntries;
          key = fromEntries;
        }
        if (wrapped && Arrays.compareUnsigned(next, hash) * step >= 0) {
          return hash;
        }
        if (!entries.containsKey(next) || entries.get(next) != null) {
          return next;
        }
      }
    }

    private Name owner(byte[] hash) {
      try {
        return new Name(b32.toString(hash), origin);
      } catch (TextParseException e) {
        throw new IllegalStateException("cannot form the NSEC3 owner name in " + origin, e);
      }
    }

    private byte[] hashOf(Name owner) {
      return b32.fromString(owner.getLabelString(0));
    }

    private NSEC3Record nsec3(int owner) {
      return (NSEC3Record) previous.recordsOf(owner).stream().filter(r -> r instanceof NSEC3Record).findFirst()
          .orElse(null);
    }
  }
}
