// A local stand-in for the e-mail API's batch endpoint (make bench): accepts every
// `POST /emails/batch` as the provider does, one id a message, and counts what it got; and
// a webhook receiver, `POST /hooks`, answering 204 to each message.
// `GET /stats` → {"messages": n, "batches": n, "first_at": ms, "last_at": ms, "hooks": n,
// "hooks_first_at": ms, "hooks_last_at": ms} (ms since epoch).
//   node end2end/email-api-stand-in.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2]);
let messages = 0, batches = 0, firstAt = 0, lastAt = 0;
let hooks = 0, hooksFirstAt = 0, hooksLastAt = 0;
http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      messages, batches, first_at: firstAt, last_at: lastAt,
      hooks, hooks_first_at: hooksFirstAt, hooks_last_at: hooksLastAt,
    }));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/hooks') {
      hooks += 1;
      hooksLastAt = Date.now();
      hooksFirstAt ||= hooksLastAt;
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'POST' || request.url !== '/emails/batch') {
      response.writeHead(404).end();
      return;
    }
    const batch = JSON.parse(Buffer.concat(chunks).toString());
    messages += batch.length;
    batches += 1;
    lastAt = Date.now();
    firstAt ||= lastAt;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: batch.map((_, n) => ({ id: `stand-in-${batches}-${n}` })) }));
  });
}).listen(port, '127.0.0.1');
