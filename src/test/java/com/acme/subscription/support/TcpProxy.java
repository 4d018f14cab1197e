package com.acme.subscription.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A TCP relay between the service and PostgreSQL, so that a test can take the database away
 * (every connection cut, new ones refused) and bring it back on the same address.
 * <p>
 * It is registered as an MBean, so that tests loaded by another class loader than the test
 * resource that started it can still switch it.
 */
public final class TcpProxy implements TcpProxyMBean {

    private static final String NAME = "com.acme.subscription.test:type=DatabaseProxy";

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private TcpProxy(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** Starts one relay per JVM on a free port and answers its port. */
    static int start(String targetHost, int targetPort) throws IOException {
        synchronized (System.class) {
            try {
                ObjectName name = new ObjectName(NAME);
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                if (!server.isRegistered(name)) {
                    int free;
                    try (ServerSocket probe = new ServerSocket(0)) {
                        free = probe.getLocalPort();
                    }
                    TcpProxy proxy = new TcpProxy(targetHost, targetPort, free);
                    proxy.up();
                    server.registerMBean(proxy, name);
                }
                return (Integer) server.getAttribute(name, "Port");
            } catch (JMException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Takes the database away (false) or brings it back (true), from any class loader. */
    public static void switchDatabase(boolean up) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(NAME), up ? "up" : "down", null, null);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress("127.0.0.1", port));
        server = listening;
        Thread acceptor = new Thread(() -> acceptLoop(listening), "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private void acceptLoop(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket database = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                database.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(database);
                if (listening.isClosed()) {
                    // accepted while down() ran, registered after it closed the others: it must go too
                    close(client);
                    close(database);
                    continue;
                }
                pump(client, database);
                pump(database, client);
            } catch (IOException e) {
                // the listener was closed: the database is "down"
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "db-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
