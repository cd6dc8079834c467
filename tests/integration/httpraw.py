#!/usr/bin/env python3
"""Raw HTTP clients for the server abuse tests (server_abuse.sh): bytes
that curl will not send, many connections at once, and clients that are
slow on purpose. Each command prints one line for the shell to check."""
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def status_of(reply):
    """The status code of a reply, or 'closed' when none came."""
    if not reply.startswith(b"HTTP/"):
        return "closed"
    parts = reply.split(b" ", 2)
    return parts[1].decode() if len(parts) > 1 else "closed"


def exchange(port, data, timeout=10.0):
    """Sends data and reads until the server closes, or stays quiet for
    half a second after replying; returns the reply bytes."""
    s = socket.create_connection((HOST, port), timeout=timeout)
    out = b""
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
            s.settimeout(0.5)
    except OSError:
        pass
    finally:
        s.close()
    return out


def cmd_raw(port, hexdata):
    """raw PORT HEX: sends the bytes, prints the status (or 'closed')."""
    print(status_of(exchange(port, bytes.fromhex(hexdata))))


def cmd_bighead(port, size):
    """bighead PORT BYTES: one header of that many bytes."""
    req = (b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Big: " % port
           + b"a" * size + b"\r\n\r\n")
    print(status_of(exchange(port, req)))


def cmd_longline(port, size):
    """longline PORT BYTES: a request target that long."""
    req = (b"GET /" + b"a" * size + b" HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    print(status_of(exchange(port, req)))


def cmd_manyheaders(port, count):
    """manyheaders PORT N: N small headers."""
    req = b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port
    req += b"".join(b"X-H%d: v\r\n" % i for i in range(count)) + b"\r\n"
    print(status_of(exchange(port, req)))


def cmd_flood(port, count):
    """flood PORT N: N connections opened together, each with one request;
    prints how many got a 200."""
    req = (b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           b"Connection: close\r\n\r\n" % port)
    socks = []
    for _ in range(count):
        try:
            socks.append(socket.create_connection((HOST, port), timeout=60))
        except OSError:
            pass  # refused beyond the server's limits: counted as not answered
    for s in socks:
        try:
            s.sendall(req)
        except OSError:
            pass
    ok = 0
    for s in socks:
        reply = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except OSError:
            pass
        s.close()
        if status_of(reply) == "200" and reply.rstrip().endswith(b"}"):
            ok += 1
    print(ok)


def hold_slow(port, count, seconds, mode, path):
    """Opens count connections that misbehave for seconds: 'headers' sends
    a header byte now and then and never finishes (slowloris); 'reader'
    asks for path and never reads the body."""
    socks = []
    for _ in range(count):
        s = socket.create_connection((HOST, port), timeout=seconds + 5)
        if mode == "reader":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path.encode(), port))
        else:
            s.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port)
        socks.append(s)
    end = time.time() + seconds
    while time.time() < end:
        if mode == "headers":
            for s in socks:
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
        time.sleep(0.5)
    for s in socks:
        s.close()


def cmd_slow(port, count, seconds, mode, path="/"):
    """slow PORT N SECONDS headers|reader [PATH]: holds misbehaving clients
    while timing ordinary requests; prints the slowest ordinary request in
    milliseconds."""
    t = threading.Thread(target=hold_slow, args=(port, count, seconds, mode, path))
    t.start()
    time.sleep(0.5)
    worst = 0.0
    req = (b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           b"Connection: close\r\n\r\n" % port)
    for _ in range(10):
        start = time.time()
        reply = exchange(port, req)
        took = (time.time() - start) * 1000
        if status_of(reply) != "200":
            took = 99999
        worst = max(worst, took)
        time.sleep(0.1)
    t.join()
    print(int(worst))


def main():
    cmd, port, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    if cmd == "raw":
        cmd_raw(port, args[0])
    elif cmd == "bighead":
        cmd_bighead(port, int(args[0]))
    elif cmd == "longline":
        cmd_longline(port, int(args[0]))
    elif cmd == "manyheaders":
        cmd_manyheaders(port, int(args[0]))
    elif cmd == "flood":
        cmd_flood(port, int(args[0]))
    elif cmd == "slow":
        cmd_slow(port, int(args[0]), float(args[1]), args[2], *args[3:])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
