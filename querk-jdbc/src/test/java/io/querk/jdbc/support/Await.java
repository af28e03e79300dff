package io.querk.jdbc.support;

import java.util.function.BooleanSupplier;

/** Waits for a condition, polling; never a blind sleep. */
public final class Await {

    private Await() {
    }

    public static void until(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
