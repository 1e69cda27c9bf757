package dev.cascade.service.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code cascade.transactions.*}: the instance name in the transactional.id of {@link FactTransactions}. A mapping of
 * its own, so that services whose own mapping has the prefix {@code cascade} (and refuses keys it does not know)
 * accept these keys too.
 */
@ConfigMapping(prefix = "cascade.transactions")
public interface TransactionsConfig {

  /**
   * This instance's name, unique among the live replicas of the service and the same across its restarts, so that a
   * restarted instance fences its predecessor and no replica fences another. One instance of a service needs none.
   */
  @WithDefault("1")
  String instance();
}
