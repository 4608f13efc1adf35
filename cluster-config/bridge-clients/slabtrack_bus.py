"""A minimal client of the SlabTrack TCP event-bus bridge, standard library only (Python 3.8+).

Each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON.
README, "Talk to the bus from any language".
"""
import json
import socket
import struct
import uuid


class SlabtrackBus:
    def __init__(self, host, port, token, timeout=10.0):
        self.headers = {"authorization": "Bearer " + token}
        self.sock = socket.create_connection((host, port), timeout=timeout)

    def _write(self, frame):
        frame = dict(frame, headers=self.headers)
        data = json.dumps(frame).encode("utf-8")
        self.sock.sendall(struct.pack(">i", len(data)) + data)

    def _read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("bridge closed the connection")
            data += chunk
        return data

    def read_frame(self):
        (length,) = struct.unpack(">i", self._read_exactly(4))
        return json.loads(self._read_exactly(length).decode("utf-8"))

    def subscribe(self, address):
        self._write({"type": "register", "address": address})

    def request(self, address, body):
        """The reply's body; raises BridgeError with the error frame when refused or failed."""
        reply_address = str(uuid.uuid4())
        self._write({"type": "send", "address": address, "body": body, "replyAddress": reply_address})
        while True:
            frame = self.read_frame()
            if frame.get("address") == reply_address or (frame.get("type") == "err" and
                                                         frame.get("address") in (address, reply_address)):
                if frame["type"] == "err":
                    raise BridgeError(frame)
                return frame["body"]

    def close(self):
        self.sock.close()


class BridgeError(Exception):
    def __init__(self, frame):
        super().__init__(frame.get("message"))
        self.frame = frame
