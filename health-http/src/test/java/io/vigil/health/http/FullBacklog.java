package io.vigil.health.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose TCP handshakes never complete: a listener that never accepts, with its accept queue
 * filled, so the kernel drops further SYNs — what a firewall that silently drops packets looks like.
 */
final class FullBacklog implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    FullBacklog() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            fillers.add(s);
            try {
                s.connect(address, 200);
            } catch (SocketTimeoutException e) {
                return; // the queue is full
            }
        }
        close();
        throw new IllegalStateException("the accept queue never filled up");
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
