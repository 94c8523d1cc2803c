package io.tasque.reliability;

import io.tasque.broker.Broker;
import io.tasque.broker.InterceptedBroker;

/**
 * A thin wrapper around a real broker that halts the process the moment its schedule firer has won the claim of a
 * tick, before it stores the tick's job: the worst place for a firer to die. Prints {@value #HALTING} and the tick's
 * schedule id and time first, so the test knows which tick was left claimed.
 */
final class ClaimHalt {

    /** Printed (then the schedule id and the tick in epoch ms) right before the halt. */
    static final String HALTING = "halting after the claim of tick";

    private ClaimHalt() {
    }

    static Broker wrap(Broker real) {
        return InterceptedBroker.around(real, (method, args, proceed) -> {
            Object result = proceed.call();
            if (method.equals("claim") && Boolean.TRUE.equals(result) && (Long) args[3] >= 0) {
                System.out.println(HALTING + " " + args[0] + " " + args[3]);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            return result;
        });
    }
}
