import http from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/** A server-sent-events client over plain HTTP, collecting events until closed. */
export const openStream = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{
    events: SseEvent[];
    status: number;
    close: () => void;
    waitFor: (pred: (e: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>;
    /** Resolves when the server ends the response (rejects after `timeoutMs`). */
    ended: (timeoutMs?: number) => Promise<void>;
    /**
     * Resolves once `count` heartbeats (the `: heartbeat` comment the server writes after each
     * access re-check) have come after `event` in the stream.
     */
    heartbeatsAfter: (event: SseEvent, count?: number, timeoutMs?: number) => Promise<void>;
  }>((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
    /** For each heartbeat, how many events had come before it. */
    const beats: number[] = [];
    const beatWaiters: (() => void)[] = [];
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const end = new Promise<void>((done) => res.on('end', done));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: null };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
          }
          if (block === ': heartbeat') {
            beats.push(events.length);
            for (const w of [...beatWaiters]) w();
          }
          if (block.startsWith(':')) continue;
          events.push(event);
          for (const w of [...waiters]) if (w.pred(event)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(event);
          }
        }
      });
      resolve({
        events,
        status: res.statusCode ?? 0,
        close: () => req.destroy(),
        ended: (timeoutMs = 5000) =>
          new Promise<void>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`the stream did not end within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`)), timeoutMs);
            end.then(() => {
              clearTimeout(timer);
              ok();
            });
          }),
        heartbeatsAfter: (event, count = 1, timeoutMs = 5000) =>
          new Promise<void>((ok, fail) => {
            const position = events.indexOf(event);
            if (position < 0) return fail(new Error(`heartbeatsAfter: event ${event.event} is not one of this stream's`));
            const done = () => beats.filter((b) => b > position).length >= count;
            if (done()) return ok();
            const check = () => {
              if (!done()) return;
              clearTimeout(timer);
              beatWaiters.splice(beatWaiters.indexOf(check), 1);
              ok();
            };
            const timer = setTimeout(() => {
              beatWaiters.splice(beatWaiters.indexOf(check), 1);
              fail(new Error(`fewer than ${count} heartbeat(s) after ${event.event} within ${timeoutMs} ms`));
            }, timeoutMs);
            beatWaiters.push(check);
          }),
        waitFor: (pred, timeoutMs = 5000) =>
          new Promise((ok, fail) => {
            const found = events.find(pred);
            if (found) return ok(found);
            const timer = setTimeout(() => fail(new Error(`no such event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`)), timeoutMs);
            waiters.push({ pred, resolve: (e) => { clearTimeout(timer); ok(e); } });
          }),
      });
    });
    req.on('error', reject);
  });
