package dev.weft.http.netty.internal;

import dev.weft.http.netty.InboundStats;
import java.util.concurrent.atomic.LongAdder;

/** What happened to the connections of one port, counted as it happens. */
final class InboundCounters {
  final LongAdder acceptedPlaintext = new LongAdder();
  final LongAdder acceptedMtls = new LongAdder();
  final LongAdder refusedPlaintext = new LongAdder();
  final LongAdder refusedTls = new LongAdder();
  final LongAdder closedByPolicyChange = new LongAdder();

  /** The counts now. */
  InboundStats snapshot() {
    return new InboundStats(acceptedPlaintext.sum(), acceptedMtls.sum(), refusedPlaintext.sum(),
        refusedTls.sum(), closedByPolicyChange.sum());
  }
}
