package dev.cascade.loader.persistence;

import dev.cascade.dnssec.xfr.RefreshTimers;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** The refresh timers of a zone loaded from a primary (V2__transfer_state.sql says what each column holds). */
@Entity
@Table(name = "transfer_state")
public class TransferState extends PanacheEntityBase {

  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "source", nullable = false, length = 4096)
  public String source;

  @Column(name = "refresh_seconds")
  public Long refreshSeconds;

  @Column(name = "retry_seconds")
  public Long retrySeconds;

  @Column(name = "expire_seconds")
  public Long expireSeconds;

  @Column(name = "last_success_at")
  public Instant lastSuccessAt;

  @Column(name = "next_refresh_at", nullable = false)
  public Instant nextRefreshAt;

  @Column(name = "refresh_asked", nullable = false)
  public boolean refreshAsked;

  @Column(name = "last_failure", length = 4096)
  public String lastFailure;

  /** The timers this row holds. */
  public RefreshTimers timers() {
    return new RefreshTimers(duration(refreshSeconds), duration(retrySeconds), duration(expireSeconds),
        lastSuccessAt, nextRefreshAt);
  }

  void setTimers(RefreshTimers timers) {
    refreshSeconds = seconds(timers.refresh());
    retrySeconds = seconds(timers.retry());
    expireSeconds = seconds(timers.expire());
    lastSuccessAt = timers.lastSuccess();
    nextRefreshAt = timers.nextRefresh();
  }

  private static Duration duration(Long seconds) {
    return seconds == null ? null : Duration.ofSeconds(seconds);
  }

  private static Long seconds(Duration duration) {
    return duration == null ? null : duration.toSeconds();
  }
}
