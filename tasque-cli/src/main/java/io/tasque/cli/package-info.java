/**
 * The {@code tasque} command line: queue counts, job lookup, the dead letter, cancel and submit, for operators and
 * scripts. {@link io.tasque.cli.TasqueCli} is the top-level command; each subcommand is a class of its own.
 */
package io.tasque.cli;
