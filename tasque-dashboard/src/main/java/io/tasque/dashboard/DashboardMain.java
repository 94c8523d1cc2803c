package io.tasque.dashboard;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the dashboard until the process is stopped: {@code --broker URI} (else {@code TASQUE_BROKER}),
 * {@code --port P} (default 7788), {@code --token T} (default: a random one, printed), {@code --bind ADDRESS}
 * (default 127.0.0.1). Exit code 1 on a usage error.
 */
public final class DashboardMain {

    private DashboardMain() {
    }

    /** Serves the dashboard ({@code --broker}, else {@code TASQUE_BROKER}; {@code --port}, {@code --token}, {@code --bind}) until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        Dashboard.Builder b = Dashboard.builder();
        String broker = System.getenv("TASQUE_BROKER");
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println(usage());
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--broker" -> broker = v;
                    case "--port" -> b.port(parsePort(v));
                    case "--token" -> b.token(v);
                    case "--bind" -> b.bind(v);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (broker == null) {
                throw new IllegalArgumentException("no broker: give --broker redis://host:6379 or set TASQUE_BROKER");
            }
            b.broker(broker);
        } catch (IllegalArgumentException e) {
            System.err.println("tasque dashboard: " + e.getMessage());
            System.err.println(usage());
            System.exit(1);
            return;
        }
        Dashboard d = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            d.stop();
            stopped.countDown();
        }, "tasque-dashboard-stop"));
        stopped.await();
    }

    private static int parsePort(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number 0..65535, was '" + v + "'");
        }
    }

    static String usage() {
        return "usage: tasque dashboard [--broker URI] [--port 7788] [--token T] [--bind 127.0.0.1]";
    }
}
