package dev.cascade.dnssec.tsig;

import java.util.Optional;
import org.xbill.DNS.Name;

/** Where TSIG keys are looked up by name: the keyring a service builds from the key topic. */
@FunctionalInterface
public interface TsigKeys {

  /** The key of that name (absolute, as {@link TsigKey#nameOf} makes it), if it is known and usable. */
  Optional<TsigKey> find(Name name);
}
