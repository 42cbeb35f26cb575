package dev.weft.policy.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** An immutable map from int to values, looked up without boxing or allocating. */
public final class IntMap<V> {
  private static final IntMap<?> EMPTY = new IntMap<>(new int[0], new Object[0]);

  private final int[] keys;
  private final Object[] values;

  private IntMap(int[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** An empty map. */
  @SuppressWarnings("unchecked")
  public static <V> IntMap<V> empty() {
    return (IntMap<V>) EMPTY;
  }

  /** A copy of {@code map}. */
  public static <V> IntMap<V> copyOf(Map<Integer, V> map) {
    TreeMap<Integer, V> sorted = new TreeMap<>(map);
    int[] keys = new int[sorted.size()];
    Object[] values = new Object[sorted.size()];
    int i = 0;
    for (Map.Entry<Integer, V> e : sorted.entrySet()) {
      keys[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return new IntMap<>(keys, values);
  }

  /** The value for {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(int key) {
    int at = Arrays.binarySearch(keys, key);
    return at >= 0 ? (V) values[at] : null;
  }

  /** The keys, ascending. */
  public int[] keys() {
    return keys.clone();
  }

  /** The values in key order, into an array made by {@code newArray}. */
  @SuppressWarnings("unchecked")
  public V[] values(IntFunction<V[]> newArray) {
    V[] out = newArray.apply(values.length);
    for (int i = 0; i < values.length; i++) {
      out[i] = (V) values[i];
    }
    return out;
  }

  /** How many keys. */
  public int size() {
    return keys.length;
  }
}
