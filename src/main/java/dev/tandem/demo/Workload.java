package dev.tandem.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.SplittableRandom;

/**
 * The requests of the simulated application for one scenario: a point read, an insert and an
 * update, each in the shape an old-version or a new-version client uses. Requests are single
 * autocommit statements on a connection whose search_path is the demo schema (a plain application:
 * it sets no {@code tandem.version} and knows nothing about Tandem).
 * <p>Implementations are thread-safe after {@link #prepare}: the keys they hit are read once and
 * then only read.
 */
interface Workload {
    /** The three kinds of request. */
    enum Op { READ, INSERT, UPDATE }

    /** Which version of the application sends a request. */
    enum Version { OLD, NEW }

    /** Reads the keys requests will hit (a sample of existing rows). */
    void prepare(Connection c) throws SQLException;

    /** Runs one request. */
    void execute(Connection c, Op op, Version v, SplittableRandom rnd) throws SQLException;
}
