'use strict';
// Preloaded with `node --require` in front of kinesis-local (kinesis-mock) by KinesisEmulator.
//
// 1. Loopback only. kinesis-mock hard-codes its listen host to 0.0.0.0 and has no setting to change it
// (its config knows only KINESIS_MOCK_PLAIN_PORT / KINESIS_MOCK_TLS_PORT); on Node it then
// calls server.listen(port, cb), which binds every interface. This hook rewrites every TCP
// listen that names no host (or a wildcard host) to KINESIS_EMULATOR_BIND_HOST, 127.0.0.1
// unless told otherwise, so the emulator is reachable from this machine only.
//
// 2. Prompt stop. Once it has served a request, kinesis-mock does not exit on SIGTERM/SIGINT for many
// seconds (even process.exit() hangs in its exit hooks). With nothing to persist (SHOULD_PERSIST_DATA
// is not true) this ends the process at once, skipping those hooks. With persistence its own graceful
// shutdown is what writes the data (PERSIST_PATH), so it runs; but its HTTP server first waits up to
// 30 s for open connections to close, and SDK clients keep idle keep-alive connections open. So once
// a stop signal arrived, every connection still open after a short grace period (for responses in
// flight) is ended, and new ones are refused: the data is then written and the process exits in
// about half a second.
const net = require('net');

const persisting = process.env.SHOULD_PERSIST_DATA === 'true';
const connections = new Set();
let stopping = false;

function hardExit() {
  if (typeof process.reallyExit === 'function') {
    process.reallyExit(0);
  }
  process.kill(process.pid, 'SIGKILL');
}

function closeConnections() {
  for (const socket of connections) {
    // End of input first: the server's reader sees the connection end (a bare destroy() leaves it waiting
    // until its 30 s shutdown timeout); a response in flight still gets out before the socket is destroyed.
    socket.push(null);
    socket.end();
    setTimeout(() => socket.destroy(), 100).unref();
  }
  connections.clear();
}

function track(socket) {
  if (stopping) {
    socket.destroy();
    return;
  }
  connections.add(socket);
  socket.once('close', () => connections.delete(socket));
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (!persisting) {
      hardExit();
      return;
    }
    if (!stopping) {
      stopping = true;
      setTimeout(closeConnections, 250);
      // Should the graceful stop hang anyway, end the process (what arrived in the last second is then lost).
      setTimeout(hardExit, 110000).unref();
    }
  });
}

// 3. No orphans. KinesisEmulator keeps a pipe open to our stdin; if its JVM dies without stopping us
// (kill -9, crash), the pipe closes and we exit: at once without persistence, through the graceful
// stop (which writes the data) with it.
if (process.env.KINESIS_EMULATOR_EXIT_ON_STDIN_EOF === '1') {
  const quit = () => {
    if (!persisting) {
      hardExit();
    } else if (!stopping) {
      process.kill(process.pid, 'SIGTERM');
    }
  };
  process.stdin.on('end', quit);
  process.stdin.on('error', quit);
  process.stdin.on('data', () => {});
  process.stdin.resume();
}

const host = process.env.KINESIS_EMULATOR_BIND_HOST || '127.0.0.1';
const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const originalListen = net.Server.prototype.listen;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

net.Server.prototype.listen = function listen(...args) {
  if (isPort(args[0])) {
    if (args.length === 1 || typeof args[1] === 'function' || (typeof args[1] === 'number' && args.length <= 3)) {
      // listen(port), listen(port, cb), listen(port, backlog[, cb])
      args.splice(1, 0, host);
    } else if (typeof args[1] === 'string' && WILDCARDS.has(args[1])) {
      args[1] = host;
    } else if (args[1] === undefined || args[1] === null) {
      args[1] = host;
    }
  } else if (args[0] && typeof args[0] === 'object' && args[0].path === undefined
      && !(args[0] instanceof net.Server) && typeof args[0].fd !== 'number' && !args[0]._handle) {
    // listen({ port, host, ... })
    if (args[0].host === undefined || args[0].host === null || WILDCARDS.has(args[0].host)) {
      args[0] = Object.assign({}, args[0], { host });
    }
  }
  if (!this.__tributaryTracked) {
    this.__tributaryTracked = true;
    this.on('connection', track);
  }
  return originalListen.apply(this, args);
};
