package dev.cascade.loader.domain;

import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.reload.ZoneReload;
import dev.cascade.dnssec.zone.ZoneInputException;
import dev.cascade.service.ZoneSourceDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Reads a zone file for an apex and compares it with the last loaded version.
 *
 * <p>Given what the last load of the zone left ({@link ZoneReload.Baseline}), only the parts of the file's text that
 * changed since are parsed, when that gives what a full parse gives ({@link ZoneReload}); the outcome says which way
 * the file was read, and carries what the next load compares with.
 *
 * <p>Blocking (file I/O and parsing): callers run it on a worker thread. Every problem, expected or not, comes back as
 * {@link LoadOutcome.Failed}, because the loader must report a bad file as a fact rather than crash on it.
 */
public final class ZoneLoader {

  private final long maxZoneBytes;
  private final ZoneSourceDirectories sourceDirectories;
  private final ZoneReload reload = new ZoneReload(Runtime.getRuntime().availableProcessors());

  /**
   * @param maxZoneBytes the largest zone file loaded: a larger one fails its zone alone with a clear reason, instead
   *     of exhausting the memory of this service and of the signer and publisher after it
   * @param sourceDirectories the only directories a zone file is read from: review-gateway checks them at
   *     {@code zone add}, and this loader, which may run as root, checks again before it opens a file
   */
  public ZoneLoader(long maxZoneBytes, ZoneSourceDirectories sourceDirectories) {
    this.maxZoneBytes = maxZoneBytes;
    this.sourceDirectories = sourceDirectories;
  }

  /**
   * Loads {@code source} as the zone {@code apex}.
   *
   * @param apex the zone apex as carried on the bus (absolute, trailing dot)
   * @param source absolute path of the zone file, as the zone registry named it
   * @param lastDigest digest of the last version loaded for this zone, if any
   */
  public LoadOutcome load(String apex, String source, Optional<String> lastDigest) {
    return load(apex, source, lastDigest, null, Progress.NONE);
  }

  /**
   * Loads {@code source} as {@link #load(String, String, Optional)} does, parsing only what changed since {@code
   * previous} when it can, and telling {@code parsing} how many bytes of the file are parsed (dnssec-core {@link
   * ZoneReload#load}).
   *
   * @param previous what the last load of this zone left ({@link ZoneReload.Result#baseline()}), or null
   */
  public LoadOutcome load(String apex, String source, Optional<String> lastDigest, ZoneReload.Baseline previous,
      Progress parsing) {
    Name origin;
    try {
      origin = Name.fromString(apex);
    } catch (TextParseException e) {
      return new LoadOutcome.Failed(source, null, null, "invalid zone name '" + apex + "': " + e.getMessage());
    }
    if (!origin.isAbsolute()) {
      return new LoadOutcome.Failed(source, null, null, "zone name '" + apex + "' is not absolute");
    }
    Path file;
    try {
      file = Path.of(source);
    } catch (InvalidPathException e) {
      return new LoadOutcome.Failed(source, null, null, "invalid source path: " + e.getMessage());
    }
    // A relative path would be resolved against this process's working directory, which the operator who added
    // the zone does not control; the registry promises an absolute path (ZoneAdded.source), so insist on it.
    if (!file.isAbsolute()) {
      return new LoadOutcome.Failed(source, null, null, "source path is not absolute: " + source);
    }
    // Before anything opens the file: a refused file is never read, so no parse error can quote its content.
    Optional<String> refusal = sourceDirectories.refusal(file);
    if (refusal.isPresent()) {
      return new LoadOutcome.Failed(source, null, null, refusal.get());
    }
    try {
      long size = Files.size(file);
      if (size > maxZoneBytes) {
        return new LoadOutcome.Failed(source, source, null,
            "the zone file is " + size + " bytes, more than the " + maxZoneBytes + " bytes this Cascade is set up"
                + " to hold (cascade.loader.max-zone-bytes); it was not loaded and the versions before it stay;"
                + " raise the limit together with the services' memory to load it");
      }
    } catch (IOException e) {
      return new LoadOutcome.Failed(source, source, null, "cannot read the zone file: " + e.getMessage());
    }
    ZoneReload.Result loaded;
    try {
      loaded = reload.load(file, origin, previous, parsing);
    } catch (ZoneInputException e) {
      return new LoadOutcome.Failed(source, e.file(), e.line(), e.reason());
    } catch (RuntimeException e) {
      return new LoadOutcome.Failed(source, source, null, "unexpected error while reading the zone: " + e);
    }
    // The digest comes from the compact form's octets, which the content writer and the difference need anyway,
    // rather than from a second canonical encoding of every record; after an incremental read it is carried over
    // from the previous version's for every run the change left alone (CompactRecords#digest).
    String digest = loaded.records().digest();
    if (lastDigest.isPresent() && lastDigest.get().equals(digest)) {
      return new LoadOutcome.Unchanged(loaded, digest);
    }
    return new LoadOutcome.Loaded(loaded, digest);
  }
}
