package dev.cascade.keymanager.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer of key sets at a time in this instance: the registry consumer and the roll timer each read a zone's keys,
 * announce a new key set and record it, and neither may announce from rows the other is about to change (a roll step
 * after a ZoneRemoved would bring the removed zone's keys back on the topic). Replicas need no such lock: a zone's
 * registry events and its roll steps both belong to the instance holding its partition.
 */
@ApplicationScoped
public class KeySetLock {

  private final ReentrantLock lock = new ReentrantLock();

  /** Runs {@code work} holding the lock. */
  public void run(Runnable work) {
    lock.lock();
    try {
      work.run();
    } finally {
      lock.unlock();
    }
  }
}
