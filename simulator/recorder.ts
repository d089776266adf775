import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the recorder received (what a plugin's webhook route would see). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The exact bytes received (hash these to check signatures). */
  raw: Buffer;
  body: any;
}

export type Responder = (r: RecordedRequest) => { status: number; body?: string } | number;

/**
 * A stand-in for the plugin's webhook endpoint: records every request and answers 200 (or what
 * `respond` decides). GET requests with hub.challenge are echoed, like a Meta handshake.
 */
export const startWebhookRecorder = async (options: { respond?: Responder; host?: '127.0.0.1' } = {}) => {
  const received: RecordedRequest[] = [];
  let respond: Responder | undefined = options.respond;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
      } catch {
        body = raw.toString('utf8');
      }
      const r: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, raw, body };
      received.push(r);
      const answer = respond ? respond(r) : r.method === 'GET' && r.query['hub.challenge'] ? { status: 200, body: r.query['hub.challenge'] } : 200;
      const { status, body: text } = typeof answer === 'number' ? { status: answer, body: 'OK' } : answer;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    received,
    /** POSTs only. */
    posts: () => received.filter((r) => r.method === 'POST'),
    setResponder(fn: Responder | undefined) {
      respond = fn;
    },
    clear() {
      received.length = 0;
    },
    /** Polls (bounded) until `predicate(received)` holds. */
    async waitFor(predicate: (list: RecordedRequest[]) => boolean, timeoutMs = 5000) {
      const rounds = Math.max(1, Math.ceil(timeoutMs / 10));
      for (let i = 0; i < rounds; i++) {
        if (predicate(received)) return received;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`recorder.waitFor: condition not met within ${timeoutMs} ms (${received.length} requests received)`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type WebhookRecorder = Awaited<ReturnType<typeof startWebhookRecorder>>;
