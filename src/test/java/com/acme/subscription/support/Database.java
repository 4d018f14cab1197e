package com.acme.subscription.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct JDBC access to the test database, for arranging state the API cannot (yet) create
 * and for checking what was stored. Works beside {@code @QuarkusTest} and the packaged jar.
 */
public final class Database {

    private Database() {
    }

    public static Map<String, String> properties() {
        return PostgresResource.datasource();
    }

    public static int update(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = prepare(c, sql, params)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(String sql, Object... params) {
        return ((Number) query(sql, params).get(0).values().iterator().next()).longValue();
    }

    /** A connection of the test's own, e.g. to hold a lock while the service works. */
    public static Connection connect() throws SQLException {
        Map<String, String> p = properties();
        return DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"), p.get("quarkus.datasource.username"),
                p.get("quarkus.datasource.password"));
    }

    /** Runs {@code sql} on {@code c}, inside whatever transaction the caller holds open there. */
    public static void execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params)) {
            st.execute();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }
}
