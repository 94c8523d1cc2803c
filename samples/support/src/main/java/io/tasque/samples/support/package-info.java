/**
 * What the sample mains have in common: {@link io.tasque.samples.support.SampleArgs} reads their command lines
 * (shared options plus the ones a sample declares), {@link io.tasque.samples.support.BrokerChoice} picks the
 * broker ({@code --broker}, else {@code $TASQUE_BROKER}, else an embedded Redis), and
 * {@link io.tasque.samples.support.SampleMain}, {@link io.tasque.samples.support.WorkerMain} and
 * {@link io.tasque.samples.support.EnqueueMain} are the scaffolding of their mains: help, one-line usage errors
 * and exit codes. {@link io.tasque.samples.support.CountingHandler} lets a demo wait until every task it
 * submitted was handled.
 */
package io.tasque.samples.support;
