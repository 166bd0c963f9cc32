// `make watch`: the developer's loop. Builds what `make run` builds (the server and the
// islands front), serves it in dev mode, and on every saved change to the app, the server,
// the styles or the migrations builds again, restarts the server and reloads the open
// browser tabs. The tabs listen through the script Leptos puts in each page when
// LEPTOS_WATCH is set (`AutoReload`): a WebSocket to the reload port, path /live_reload,
// where `{"all":true}` reloads the page. A failed build leaves the last good server running.
//   node tools/watch.mjs
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { createServer } from 'node:http';

const RELOAD_PORT = 3001; // LeptosOptions' default reload port, which the server's CSP allows.
const WATCHED = ['app/src', 'server/src', 'style', 'migrations'];
const QUIET_MS = 300; // a save touches several files: wait until they settle

const tabs = new Set();
const reloadServer = createServer((_, response) => response.writeHead(426).end());
reloadServer.on('upgrade', (request, socket) => {
  if (request.url !== '/live_reload') return socket.destroy();
  // RFC 6455's handshake: the key, the protocol's GUID, SHA-1, base64.
  const accept = createHash('sha1')
    .update(request.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  tabs.add(socket);
  socket.on('close', () => tabs.delete(socket));
  socket.on('error', () => tabs.delete(socket));
  // What a tab sends (pings, its closing) needs no answer here.
  socket.on('data', () => {});
});
reloadServer.listen(RELOAD_PORT, '127.0.0.1');

/** One unmasked text frame, as a server sends it (short messages only). */
function frame(text) {
  const payload = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

function reloadTabs() {
  for (const socket of tabs) socket.write(frame('{"all":true}'));
  console.log(`watch: reloaded ${tabs.size} tab(s)`);
}

function build() {
  const result = spawnSync('make', ['--no-print-directory', 'host', 'front'], { stdio: 'inherit' });
  return result.status === 0;
}

let server = null;
function startServer() {
  server = spawn('./target/debug/portico', [], {
    stdio: 'inherit',
    env: { ...process.env, PORTICO_ENV: 'development', LEPTOS_WATCH: '1' },
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await stopped;
}

/** Until the server answers (it has just been started), at most ten seconds. */
async function answering() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch('http://127.0.0.1:3000/login');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

let building = false;
let again = false;
async function rebuild() {
  if (building) {
    again = true;
    return;
  }
  building = true;
  do {
    again = false;
    console.log('watch: building…');
    if (build()) {
      await stopServer();
      startServer();
      if (await answering()) reloadTabs();
    } else {
      console.log('watch: the build failed; the last good server keeps running');
    }
  } while (again);
  building = false;
}

if (!build()) process.exit(1);
startServer();
console.log('watch: http://127.0.0.1:3000 (save a file to rebuild; Ctrl-C to stop)');

let quiet = null;
for (const dir of WATCHED) {
  watch(dir, { recursive: true }, () => {
    clearTimeout(quiet);
    quiet = setTimeout(rebuild, QUIET_MS);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopServer();
    process.exit(0);
  });
}
