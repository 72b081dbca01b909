package io.homeostat.topology;

/**
 * A rejected input record on its way to the dead-letter topic: the original key and value bytes. The
 * reason travels in the record's headers ({@link io.homeostat.model.DeadLetters}).
 */
public record DeadLetter(byte[] key, byte[] value) implements Routed {}
