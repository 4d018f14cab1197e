package com.acme.subscription.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Relays a port to the test broker once opened; until then nothing listens there, as when the
 * broker is away. (Only the bootstrap goes through it: the client then talks to the address the
 * broker advertises.)
 */
final class Gate implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;

    private Gate(int port, String target) throws IOException {
        String[] hostPort = target.split(",")[0].split(":");
        this.targetHost = hostPort[0];
        this.targetPort = Integer.parseInt(hostPort[1]);
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Thread acceptor = new Thread(this::accept, "kafka-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static Gate open(String address, String target) throws IOException {
        return new Gate(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), target);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(targetHost, targetPort);
                pump(client, broker);
                pump(broker, client);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "kafka-gate-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
