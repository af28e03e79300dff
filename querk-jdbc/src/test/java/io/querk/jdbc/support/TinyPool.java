package io.querk.jdbc.support;

import io.querk.testkit.postgres.TestDatabase;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * A minimal pool over a fixed set of physical connections: {@code close()} on a handed-out
 * connection returns it. Lets a test look at a physical session after Querk has used it.
 */
public final class TinyPool implements DataSource, AutoCloseable {

    private final List<Connection> physical = new ArrayList<>();
    private final Deque<Connection> idle = new ArrayDeque<>();

    public TinyPool(TestDatabase db, int size) throws SQLException {
        for (int i = 0; i < size; i++) {
            Connection c = db.connect();
            physical.add(c);
            idle.add(c);
        }
    }

    public List<Connection> physical() {
        return physical;
    }

    @Override
    public synchronized Connection getConnection() {
        Connection c = idle.poll();
        if (c == null) {
            throw new IllegalStateException("pool exhausted");
        }
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!closed[0]) {
                            closed[0] = true;
                            synchronized (TinyPool.this) {
                                idle.add(c);
                            }
                        }
                        return null;
                    }
                    if (method.getName().equals("isClosed")) {
                        return closed[0];
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String user, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : physical) {
            c.close();
        }
    }
}
