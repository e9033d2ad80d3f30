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
// seconds (even process.exit() hangs in its exit hooks); with nothing to persist (SHOULD_PERSIST_DATA
// is not true) this ends the process at once, skipping those hooks.
const net = require('net');

if (process.env.SHOULD_PERSIST_DATA !== 'true') {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      if (typeof process.reallyExit === 'function') {
        process.reallyExit(0);
      }
      process.kill(process.pid, 'SIGKILL');
    });
  }
}

// 3. No orphans. KinesisEmulator keeps a pipe open to our stdin; if its JVM dies without stopping us
// (kill -9, crash), the pipe closes and we exit.
if (process.env.KINESIS_EMULATOR_EXIT_ON_STDIN_EOF === '1') {
  const quit = () => {
    if (typeof process.reallyExit === 'function') {
      process.reallyExit(0);
    }
    process.kill(process.pid, 'SIGKILL');
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
  return originalListen.apply(this, args);
};
