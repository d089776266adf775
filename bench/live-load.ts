/**
 * bench/live's load and stream client, in a process of its own (neither the server's nor the
 * simulator's): posts signed Meta webhooks on a fixed schedule (customer messages, and delivery
 * receipts for messages the business sent) without waiting for answers, and times each customer
 * message from just before its POST to its `message.created` event on an open inbox stream.
 * argv: a file holding the JSON LoadPlan. Prints JSON.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { openStream } from '../tests/helpers/sse';
import { fixture } from '../tests/helpers/fixtures';

export interface LoadPlan {
  base: string;
  token: string;
  webhookPath: string;
  appSecret: string;
  phoneNumberId: string;
  /** Conversation id → customer WhatsApp id, read from the admin API. */
  customers: Record<string, string>;
  /** Messages the business sent: their provider ids and recipients, for receipts. */
  sent: { wamid: string; to: string }[];
  messagesPerSecond: number;
  receiptsPerSecond: number;
  seconds: number;
  tag: string;
}

const pct = (sorted: number[], p: number) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1)) : null);

const main = async () => {
  const plan: LoadPlan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const target = new URL(plan.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const statuses: Record<string, number> = {};
  /** Customer messages' acknowledgement times: the part of each latency spent before the webhook was answered. */
  const acks: number[] = [];
  const post = (body: string, timed = false) => {
    const posted = Date.now();
    const signature = `sha256=${crypto.createHmac('sha256', plan.appSecret).update(body).digest('hex')}`;
    const req = http.request({ host: target.hostname, port: target.port, path: plan.webhookPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature } }, (res) => {
      res.resume();
      if (timed) res.on('end', () => acks.push(Date.now() - posted));
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
    });
    req.on('error', () => (statuses.error = (statuses.error ?? 0) + 1));
    req.end(body);
  };

  const messageTemplate = fixture('meta/inbound-text.json');
  const message = (from: string, i: number) => {
    const body = structuredClone(messageTemplate);
    const value = body.entry[0].changes[0].value;
    value.metadata.phone_number_id = plan.phoneNumberId;
    value.contacts = [{ profile: { name: `Live ${from}` }, wa_id: from }];
    value.messages[0] = { ...value.messages[0], from, id: `wamid.live-${plan.tag}-${i}`, timestamp: String(Math.floor(Date.now() / 1000)), text: { body: `live ${i}` } };
    delete value.messages[0].from_user_id;
    return JSON.stringify(body);
  };
  const receiptTemplate = fixture('meta/status-delivered.json');
  const ORDER = ['sent', 'delivered', 'read'];
  const receipt = (k: number) => {
    const { wamid, to } = plan.sent[k % plan.sent.length];
    const body = structuredClone(receiptTemplate);
    const value = body.entry[0].changes[0].value;
    value.metadata.phone_number_id = plan.phoneNumberId;
    value.contacts = [{ profile: { name: `Live ${to}` }, wa_id: to }];
    // Every message's sent first, then every delivered, then every read: each receipt moves its message forward.
    value.statuses = [{ ...value.statuses[0], id: wamid, recipient_id: to, status: ORDER[Math.floor(k / plan.sent.length) % 3], timestamp: String(Math.floor(Date.now() / 1000)) }];
    return JSON.stringify(body);
  };

  const stream = await openStream(`${plan.base}/whatsapp/stream`, { Authorization: `Bearer ${plan.token}` });
  await stream.waitFor((e) => e.event === 'ready');
  stream.events.splice(0);
  const customerIds = [...new Set(Object.values(plan.customers))];
  const sentAt = new Map<string, number[]>();
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  const total = plan.messagesPerSecond * plan.seconds;
  const receipts = plan.receiptsPerSecond * plan.seconds;
  const collect = () => {
    const now = Date.now();
    for (const e of stream.events.splice(0)) {
      if (e.event !== 'message.created') continue;
      const who = plan.customers[String(e.data.conversationId)];
      if (!who) continue;
      // Per customer, the n-th event is the n-th message they sent (inbound keeps per-person order).
      const n = seen.get(who) ?? 0;
      seen.set(who, n + 1);
      const at = sentAt.get(who)?.[n];
      if (at !== undefined) latencies.push(now - at);
    }
  };
  const poll = setInterval(collect, 2);

  // One schedule for both kinds: each call leaves at its own time, whatever the answers do.
  const calls: { at: number; send: () => void }[] = [];
  for (let i = 0; i < total; i += 1) {
    const who = customerIds[i % customerIds.length];
    calls.push({ at: (i * 1000) / plan.messagesPerSecond, send: () => (sentAt.set(who, [...(sentAt.get(who) ?? []), Date.now()]), post(message(who, i), true)) });
  }
  for (let k = 0; k < receipts; k += 1) calls.push({ at: (k * 1000) / plan.receiptsPerSecond, send: () => post(receipt(k)) });
  calls.sort((a, b) => a.at - b.at);
  const started = Date.now();
  for (const call of calls) {
    const wait = started + call.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    call.send();
  }
  const deadline = Date.now() + 60_000;
  while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  clearInterval(poll);
  collect();
  stream.close();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ messagesPerSecond: plan.messagesPerSecond, receiptsPerSecond: plan.receiptsPerSecond, messages: total, receipts, received: latencies.length, answers: statuses, p50Ms: pct(latencies, 50), p90Ms: pct(latencies, 90), p99Ms: pct(latencies, 99), maxMs: latencies.length ? latencies[latencies.length - 1] : null, ackP50Ms: pct(acks, 50), ackP99Ms: pct(acks, 99) }));
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
