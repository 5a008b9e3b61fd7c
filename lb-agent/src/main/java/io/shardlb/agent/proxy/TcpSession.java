package io.shardlb.agent.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One proxied TCP connection: the client's socket, the backend's, and one bounded buffer per direction. A side
 * is read only while its buffer has room (back-pressure instead of unbounded memory). Half-close: when one side
 * sends EOF, the other side's output is shut down once the buffer toward it drained, and the session closes when
 * both directions finished (or at the first error).
 */
final class TcpSession implements Ready {
    final ProxyRule[] rule;
    final io.shardlb.agent.forwarder.Endpoint endpoint;
    private final SocketChannel client;
    private final SocketChannel backend;
    private final ByteBuffer toBackend;
    private final ByteBuffer toClient;
    private SelectionKey clientKey;
    private SelectionKey backendKey;
    private boolean clientEof;
    private boolean backendEof;
    private boolean backendShut;
    private boolean clientShut;
    private boolean connected;
    private boolean closed;

    private final java.util.function.Consumer<TcpSession> onClose;

    TcpSession(ProxyRule[] rule, io.shardlb.agent.forwarder.Endpoint endpoint, SocketChannel client, SocketChannel backend, int bufferSize,
               java.util.function.Consumer<TcpSession> onClose) {
        this.onClose = onClose;
        this.rule = rule;
        this.endpoint = endpoint;
        this.client = client;
        this.backend = backend;
        this.toBackend = ByteBuffer.allocateDirect(bufferSize);
        this.toClient = ByteBuffer.allocateDirect(bufferSize);
    }

    /** Registers both sockets; {@code connectedAlready} when connect() completed at once (loopback may). */
    void register(Selector selector, boolean connectedAlready) throws IOException {
        clientKey = client.register(selector, 0, this);
        backendKey = backend.register(selector, connectedAlready ? 0 : SelectionKey.OP_CONNECT, this);
        if (connectedAlready) {
            connected = true;
            settle();
        }
    }

    @Override
    public void onReady(SelectionKey key, long now) {
        step(key);
    }

    /** Handles readiness on either key; returns false when the session ended. */
    boolean step(SelectionKey key) {
        try {
            if (!connected) {
                if (!key.isConnectable() || !backend.finishConnect()) {
                    return true;
                }
                connected = true;
            }
            if (key.channel() == client) {
                if (key.isReadable()) {
                    clientEof |= pump(client, toBackend);
                }
                if (key.isWritable()) {
                    drain(toClient, client);
                }
            } else {
                if (key.isReadable()) {
                    backendEof |= pump(backend, toClient);
                }
                if (key.isWritable()) {
                    drain(toBackend, backend);
                }
            }
            drain(toBackend, backend);
            drain(toClient, client);
            return settle();
        } catch (IOException e) {
            close();
            return false;
        }
    }

    /** Reads what fits; returns true at EOF. */
    private boolean pump(SocketChannel from, ByteBuffer buf) throws IOException {
        int n = from.read(buf);
        if (n > 0) {
            rule[0].counted(n);
        }
        return n < 0;
    }

    private static void drain(ByteBuffer buf, SocketChannel to) throws IOException {
        if (buf.position() == 0) {
            return;
        }
        buf.flip();
        to.write(buf);
        buf.compact();
    }

    private boolean settle() throws IOException {
        if (clientEof && toBackend.position() == 0 && !backendShut) {
            backend.shutdownOutput();
            backendShut = true;
        }
        if (backendEof && toClient.position() == 0 && !clientShut) {
            client.shutdownOutput();
            clientShut = true;
        }
        if (backendShut && clientShut) {
            close();
            return false;
        }
        clientKey.interestOps((!clientEof && toBackend.hasRemaining() ? SelectionKey.OP_READ : 0)
                | (toClient.position() > 0 ? SelectionKey.OP_WRITE : 0));
        backendKey.interestOps((!backendEof && toClient.hasRemaining() ? SelectionKey.OP_READ : 0)
                | (toBackend.position() > 0 ? SelectionKey.OP_WRITE : 0));
        return true;
    }

    boolean closed() {
        return closed;
    }

    /** Closes both sockets (idempotent). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.accept(this);
        try {
            client.close();
        } catch (IOException ignored) {
            // closing: nothing more to do with this socket
        }
        try {
            backend.close();
        } catch (IOException ignored) {
            // closing: nothing more to do with this socket
        }
    }

    /** True if the backend connection was never established. */
    boolean neverConnected() {
        return !connected;
    }
}
