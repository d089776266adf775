/**
 * A small closed-loop HTTP load generator, run as its own process so its CPU is not the server's.
 * argv: JSON { url, bodiesFile, concurrency, seconds }. Prints JSON results; only 2xx answers count as
 * acknowledged, and latency is that of acknowledged requests, timed here, outside the server.
 */
const http = require('node:http');
const fs = require('node:fs');

const { url, bodiesFile, concurrency, seconds } = JSON.parse(process.argv[2]);
const requests = JSON.parse(fs.readFileSync(bodiesFile, 'utf8'));
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

const latencies = [];
const statuses = {};
let next = 0;
let errors = 0;
const deadline = Date.now() + seconds * 1000;

const one = () =>
  new Promise((resolve) => {
    const { path, body, headers } = requests[next++ % requests.length];
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: target.hostname, port: target.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          resolve();
        });
      }
    );
    req.on('error', () => {
      errors += 1;
      resolve();
    });
    req.end(body);
  });

const loop = async () => {
  while (Date.now() < deadline && next < requests.length) await one();
};

(async () => {
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2)) : null);
  const sent = Object.values(statuses).reduce((a, b) => a + b, 0) + errors;
  process.stdout.write(JSON.stringify({ sent, acknowledged: latencies.length, errors, statuses, seconds: Number(elapsed.toFixed(2)), perSecond: Math.round(latencies.length / elapsed), p50: pct(50), p99: pct(99) }));
  agent.destroy();
})();
