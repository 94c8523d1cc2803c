/**
 * Real redis-server processes on random loopback ports for tests, demos and fault injection:
 * {@link io.tasque.testkit.RedisServer} to start and control one, {@link io.tasque.testkit.RedisBinary} to find
 * the binary, and {@link io.tasque.testkit.WithRedis} / {@link io.tasque.testkit.RedisExtension} for JUnit 5;
 * {@link io.tasque.testkit.CallLoad} keeps threads submitting (or making any call) and records every outcome.
 */
package io.tasque.testkit;
