// A minimal client of the SlabTrack TCP event-bus bridge for Node.js (no dependencies): each frame is a 4-byte
// big-endian length followed by that many bytes of UTF-8 JSON. README, "Talk to the bus from any language".
'use strict';
const net = require('net');
const { randomUUID } = require('crypto');

class SlabtrackBus {
  constructor(host, port, token) {
    this.headers = { authorization: 'Bearer ' + token };
    this.handlers = new Map();   // address -> [fn(body, frame)]
    this.pending = new Map();    // replyAddress -> {resolve, reject}
    this.errors = [];            // error frames not tied to a request
    this.socket = net.connect(port, host);
    this.buffer = Buffer.alloc(0);
    this.socket.on('data', (chunk) => this.read(chunk));
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  read(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < 4 + length) { return; }
      const frame = JSON.parse(this.buffer.subarray(4, 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(4 + length);
      this.dispatch(frame);
    }
  }

  dispatch(frame) {
    const waiting = frame.address && this.pending.get(frame.address);
    if (waiting) {
      this.pending.delete(frame.address);
      if (frame.type === 'err') { waiting.reject(frame); } else { waiting.resolve(frame.body); }
      return;
    }
    if (frame.type === 'message' && this.handlers.has(frame.address)) {
      this.handlers.get(frame.address).forEach((fn) => fn(frame.body, frame));
    } else if (frame.type === 'err') {
      this.errors.push(frame);
      (this.onError || (() => {}))(frame);
    }
  }

  write(frame) {
    const json = Buffer.from(JSON.stringify(Object.assign({ headers: this.headers }, frame)), 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32BE(json.length, 0);
    this.socket.write(Buffer.concat([length, json]));
  }

  subscribe(address, fn) {
    if (!this.handlers.has(address)) {
      this.handlers.set(address, []);
      this.write({ type: 'register', address });
    }
    this.handlers.get(address).push(fn);
  }

  // a request: the reply's body, or a rejection with the error frame (forbidden, unauthorized, a failure code...)
  request(address, body, timeoutMs = 5000) {
    const replyAddress = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(replyAddress); reject(new Error('timeout')); }, timeoutMs);
      this.pending.set(replyAddress, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.write({ type: 'send', address, body, replyAddress });
    });
  }

  close() { this.socket.end(); }
}

module.exports = { SlabtrackBus };
