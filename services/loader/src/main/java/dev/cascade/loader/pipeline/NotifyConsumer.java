package dev.cascade.loader.pipeline;

import dev.cascade.events.v1.ZoneNotifyReceived;
import dev.cascade.loader.persistence.LoaderStore;
import dev.cascade.service.ZoneApex;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes the NOTIFYs the publisher accepted from a zone's primary ({@code cascade.zone-notifies.v1}) as asks for a
 * refresh at once (RFC 1996 §4.7), marked in the shared table; the {@link RefreshTimer} of the instance that holds
 * the zone does the refresh, so the NOTIFY is acted on whichever replica reads it: at once where this instance holds
 * the zone, at the holder's next check otherwise. Several NOTIFYs before the refresh starts are one ask, and NOTIFYs
 * during it one more (RFC 1996 §4.4). Asking twice is asking once, so a NOTIFY delivered again does no harm, and
 * none needs to be in a transaction.
 */
@ApplicationScoped
public class NotifyConsumer {

  private static final Logger LOG = Logger.getLogger(NotifyConsumer.class);

  private final LoaderStore state;
  private final LoaderRebuild rebuild;
  private final RefreshTimer timer;

  public NotifyConsumer(LoaderStore state, LoaderRebuild rebuild, RefreshTimer timer) {
    this.state = state;
    this.rebuild = rebuild;
    this.timer = timer;
  }

  @Incoming(Channels.ZONE_NOTIFIES)
  @Blocking
  public void onNotify(ZoneNotifyReceived notify) {
    if (notify == null) {
      LOG.warn("a NOTIFY record that cannot be decoded was skipped; the zone waits for its REFRESH");
      return;
    }
    rebuild.await();
    String zone = ZoneApex.canonical(notify.getZone());
    if (state.askRefresh(zone)) {
      LOG.infof("zone %s: NOTIFY from %s (serial %s), refresh asked", zone, notify.getSender(), notify.getSerial());
      timer.checkSoon();
    } else {
      LOG.warnf("zone %s: NOTIFY from %s ignored, the zone is not loaded from a primary", zone, notify.getSender());
    }
  }
}
