package dev.weft.controlplane.xds;

import dev.weft.policy.ResolvedPolicy;
import dev.weft.xds.internal.XdsTranslator;

/** One consistent view the streams translate from: the resolved policy and its translator. */
record XdsState(long generation, ResolvedPolicy policy, XdsTranslator translator) {}
