import http from 'node:http';
import { aisensyObjectId } from './aisensy';
import { validatePatch, type FaultPatch } from './faults';
import { gupshupTemplateEventOutgoing, gupshupUserEventOutgoing } from './gupshup';
import { json, parseJson, type Ctx } from './http';
import { ControlError, customerSends, type CustomerMessageInput } from './inbound';
import { mediaUrl, storeMedia } from './meta';
import { webhookError } from './meta-errors';
import type { MetaUnit } from './meta-events';
import type { Simulator } from './sim';
import type { AisensyAccount, GupshupApp, MetaNumber, StatusName, Template, TemplateComponent, TemplateStatus } from './types';
import { digits, isObject, newNumericId, randomHex, redactBody, sleep, str, templateVars, uuid, type Json } from './util';
import type { Dispatched } from './webhooks';

/* Control API under /_sim (JSON in, JSON out). See simulator/README.md for the list. */

const need = (body: Json, ...keys: string[]) => {
  const missing = keys.filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
  if (missing.length) throw new ControlError(400, `missing: ${missing.join(', ')}`);
};

const since = (q: Record<string, string>) => (q.since ? Number(q.since) : 0);

const STATUSES: StatusName[] = ['sent', 'delivered', 'read', 'played', 'failed', 'enqueued'];

const checkComponents = (components: unknown, format: 'POSITIONAL' | 'NAMED'): TemplateComponent[] => {
  if (!Array.isArray(components) || !components.length) throw new ControlError(400, 'components must be a non-empty array');
  for (const c of components) {
    if (!isObject(c) || !['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(String(c.type))) throw new ControlError(400, `bad component ${JSON.stringify(c)}`);
    const vars = templateVars(str(c.text));
    if (format === 'POSITIONAL' && vars.some((v, i) => v !== String(i + 1))) throw new ControlError(400, `POSITIONAL variables must be {{1}}, {{2}}… in order (${c.type})`);
    if (format === 'NAMED' && vars.some((v) => !/^[a-z_][a-z0-9_]*$/.test(v))) throw new ControlError(400, `NAMED variables must be lowercase letters, digits and underscores (${c.type})`);
  }
  if (!components.some((c: Json) => c.type === 'BODY')) throw new ControlError(400, 'a BODY component is required');
  return components as TemplateComponent[];
};

const redactAccount = (a: object) => redactBody(a);

/** Delivered webhooks' results for the control answer. */
const results = async (list: (Dispatched | null)[]) =>
  Promise.all(list.map(async (d) => (d ? (d.pending ? { pending: true } : await d.done.then((r) => (r ? { seq: r.seq, statusCode: r.statusCode, error: r.error } : null))) : null)));

export const handleControl = async (sim: Simulator, ctx: Ctx): Promise<void> => {
  try {
    const out = await route(sim, ctx);
    json(ctx, out.status ?? 200, out.body);
  } catch (e) {
    const err = e as Error & { status?: number };
    json(ctx, err instanceof ControlError ? err.status : 400, { error: err.message });
  }
};

const route = async (sim: Simulator, ctx: Ctx): Promise<{ status?: number; body: unknown }> => {
  const st = sim.state;
  const { method, query } = ctx;
  const path = ctx.path.replace(/^\/_sim/, '').replace(/\/$/, '') || '/';
  let body: Json = {};
  if (method !== 'GET' && method !== 'DELETE') {
    const p = parseJson(ctx.raw);
    if (!p.ok || (ctx.raw.length && !isObject(p.value))) throw new ControlError(400, 'body must be a JSON object');
    body = (p.value as Json) ?? {};
  }
  const is = (m: string, re: RegExp) => (method === m ? re.exec(path) : null);
  let m: RegExpExecArray | null;

  if (is('POST', /^\/reset$/)) {
    sim.reset(body.seedCustomers !== false);
    return { body: { ok: true } };
  }
  if (is('GET', /^\/state$/)) {
    return {
      body: {
        businesses: st.businesses(),
        metaNumbers: [...st.metaNumbers.values()].map(redactAccount),
        gupshupApps: [...st.gupshupApps.values()].map(redactAccount),
        aisensyAccounts: [...st.aisensyAccounts.values()].map(redactAccount),
        aisensyCampaigns: st.aisensyCampaigns.map(redactAccount),
        customers: [...st.customers.values()],
        templates: st.templates,
        settings: st.settings.snapshot(),
        clock: { now: st.clock.now(), frozen: st.clock.frozen },
        counts: { requests: st.requests.length, webhooks: st.webhooks.length, outbound: st.outbound.length, inbound: st.inbound.length },
      },
    };
  }
  if (is('GET', /^\/businesses$/)) return { body: st.businesses() };

  // Accounts
  if (is('POST', /^\/meta\/numbers$/)) {
    need(body, 'phoneNumberId');
    const prev = st.metaNumbers.get(String(body.phoneNumberId));
    const n = { ...prev, ...body, phoneNumberId: String(body.phoneNumberId) } as MetaNumber;
    need(n as unknown as Json, 'wabaId', 'displayPhoneNumber', 'accessToken', 'appSecret', 'webhookUrl');
    n.displayPhoneNumber = digits(n.displayPhoneNumber);
    n.wabaId = String(n.wabaId);
    st.metaNumbers.set(n.phoneNumberId, n);
    return { status: prev ? 200 : 201, body: redactAccount(n) };
  }
  if ((m = is('DELETE', /^\/meta\/numbers\/([^/]+)$/))) return { body: { deleted: st.metaNumbers.delete(m[1]) } };
  if (is('POST', /^\/gupshup\/apps$/)) {
    need(body, 'appName');
    const prev = st.gupshupApps.get(String(body.appName));
    const a = { appId: prev?.appId ?? uuid(), ...prev, ...body } as GupshupApp;
    need(a as unknown as Json, 'apiKey', 'sourcePhone', 'webhookUrl');
    a.sourcePhone = digits(a.sourcePhone);
    st.gupshupApps.set(a.appName, a);
    return { status: prev ? 200 : 201, body: redactAccount(a) };
  }
  if (is('POST', /^\/aisensy\/accounts$/)) {
    need(body, 'phone');
    const key = digits(String(body.phone));
    const prev = st.aisensyAccounts.get(key);
    const a = { projectId: prev?.projectId ?? aisensyObjectId(), ...prev, ...body, phone: key } as AisensyAccount;
    need(a as unknown as Json, 'apiKey', 'webhookUrl');
    st.aisensyAccounts.set(key, a);
    return { status: prev ? 200 : 201, body: redactAccount(a) };
  }
  if (is('POST', /^\/aisensy\/campaigns$/)) {
    need(body, 'campaignName', 'text');
    const account = body.apiKey ? [...st.aisensyAccounts.values()].find((a) => a.apiKey === body.apiKey) : st.aisensyAccounts.get(digits(String(body.phone ?? '')));
    if (!account) throw new ControlError(404, 'no AiSensy account (give apiKey or phone)');
    st.aisensyCampaigns = st.aisensyCampaigns.filter((c) => !(c.apiKey === account.apiKey && c.campaignName === body.campaignName));
    const c = { apiKey: account.apiKey, campaignName: String(body.campaignName), templateName: String(body.templateName ?? body.campaignName), text: String(body.text), live: body.live !== false };
    st.aisensyCampaigns.push(c);
    return { status: 201, body: redactAccount(c) };
  }

  // Customers and their messages
  if (is('POST', /^\/customers$/)) {
    need(body, 'phone');
    const c = st.customer(String(body.phone));
    if (body.name !== undefined) c.name = String(body.name);
    if (body.reachable !== undefined) c.reachable = body.reachable !== false;
    return { body: c };
  }
  if (is('GET', /^\/customers$/)) return { body: [...st.customers.values()] };
  if (is('POST', /^\/inbound$/)) return { body: await customerSends(sim, body as CustomerMessageInput, ctx.base) };
  if (is('GET', /^\/inbound$/)) {
    const business = query.business ? st.findBusiness(query.business) : undefined;
    return { body: st.inbound.filter((i) => i.seq > since(query) && (!query.from || i.from === digits(query.from)) && (!business || i.businessKey === business.key)) };
  }
  if (is('POST', /^\/window$/)) {
    need(body, 'business', 'phone');
    const b = st.findBusiness(String(body.business));
    if (!b) throw new ControlError(404, `no business "${body.business}"`);
    st.setWindow(b.key, String(body.phone), body.open !== false);
    return { body: { business: b.key, phone: digits(String(body.phone)), open: st.windowOpen(b.key, String(body.phone)) } };
  }
  if (is('POST', /^\/clock$/)) {
    if (body.freeze === true) st.clock.freeze(typeof body.at === 'number' ? body.at : undefined);
    if (body.freeze === false) st.clock.unfreeze();
    if (Number.isFinite(body.advanceMs)) st.clock.advance(Number(body.advanceMs));
    return { body: { now: st.clock.now(), frozen: st.clock.frozen } };
  }
  if (is('GET', /^\/clock$/)) return { body: { now: st.clock.now(), frozen: st.clock.frozen } };

  // Outbound messages
  if (is('GET', /^\/outbound$/)) {
    const business = query.business ? st.findBusiness(query.business) : undefined;
    return {
      body: st.outbound.filter(
        (o) => o.seq > since(query) && (!query.to || o.to === digits(query.to) || o.toUserId === query.to) && (!business || o.businessKey === business.key) && (!query.provider || o.provider === query.provider),
      ),
    };
  }
  if ((m = is('GET', /^\/messages\/([^/]+)$/))) {
    const msg = st.findOutbound(decodeURIComponent(m[1]));
    if (!msg) throw new ControlError(404, 'no such outbound message');
    return { body: msg };
  }
  if ((m = is('POST', /^\/messages\/([^/]+)\/(status|deliver|read|fail)$/))) {
    const msg = st.findOutbound(decodeURIComponent(m[1]));
    if (!msg) throw new ControlError(404, 'no such outbound message');
    const status = (m[2] === 'status' ? body.status : m[2] === 'deliver' ? 'delivered' : m[2] === 'fail' ? 'failed' : 'read') as StatusName;
    if (!STATUSES.includes(status)) throw new ControlError(400, `status must be one of ${STATUSES.join(', ')}`);
    const error = status === 'failed' ? { ...webhookError(Number(body.code ?? 131000), str(body.details)), ...(body.title ? { title: String(body.title), message: String(body.title) } : {}) } : undefined;
    const d = sim.emitStatus(msg, status, error);
    const [webhook] = await results([d]);
    return { body: { message: msg, webhook } };
  }
  if (is('GET', /^\/conversation$/)) {
    need(query, 'business', 'phone');
    const b = st.findBusiness(query.business);
    if (!b) throw new ControlError(404, `no business "${query.business}"`);
    const phone = digits(query.phone);
    const items = [
      ...st.inbound.filter((i) => i.businessKey === b.key && i.provider === b.provider && i.from === phone).map((i) => ({ direction: 'in' as const, ...i, payload: undefined })),
      ...st.outbound.filter((o) => o.businessKey === b.key && o.provider === b.provider && o.to === phone).map((o) => ({ direction: 'out' as const, ...o, request: undefined })),
    ].sort((a, c) => a.seq - c.seq);
    return { body: { business: b, customer: st.customers.get(phone) ?? null, windowOpen: st.windowOpen(b.key, phone), items } };
  }

  // Templates
  if (is('GET', /^\/templates$/)) return { body: st.templates.filter((t) => (!query.provider || t.provider === query.provider) && (!query.owner || t.owner === query.owner)) };
  if (is('POST', /^\/templates$/)) {
    const provider = body.provider === 'gupshup' ? 'gupshup' : 'meta';
    const owner = String(provider === 'meta' ? body.wabaId ?? '' : body.appName ?? '');
    if (!owner) throw new ControlError(400, provider === 'meta' ? 'wabaId is required' : 'appName is required');
    need(body, 'name', 'language');
    const format = body.parameter_format === 'NAMED' || body.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL';
    const components = checkComponents(body.components ?? (body.body ? [{ type: 'BODY', text: body.body }] : undefined), format);
    const now = st.clock.now();
    const t: Template = {
      provider,
      owner,
      id: String(body.id ?? (provider === 'meta' ? newNumericId('88') : uuid())),
      name: String(body.name),
      language: String(body.language),
      category: String(body.category ?? 'UTILITY').toUpperCase(),
      parameterFormat: format,
      components,
      status: (String(body.status ?? 'PENDING').toUpperCase() as TemplateStatus),
      ...(body.rejectedReason ? { rejectedReason: String(body.rejectedReason) } : {}),
      ...(body.qualityScore ? { qualityScore: body.qualityScore } : {}),
      createdAt: now,
      modifiedAt: now,
    };
    if (st.templates.some((x) => x.provider === provider && x.owner === owner && x.name === t.name && x.language === t.language && x.status !== 'DELETED')) {
      throw new ControlError(409, `template ${t.name} (${t.language}) already exists`);
    }
    st.templates.push(t);
    return { status: 201, body: t };
  }
  if ((m = is('POST', /^\/templates\/([^/]+)\/(approve|reject|status)$/)) || (m = is('DELETE', /^\/templates\/([^/]+)$/))) {
    const t = st.templates.find((x) => x.id === m![1] && x.status !== 'DELETED');
    if (!t) throw new ControlError(404, 'no such template');
    const action = method === 'DELETE' ? 'delete' : m[2];
    let event: TemplateStatus;
    let reason: string | null = 'NONE';
    let rejectionInfo: { reason: string; recommendation: string } | undefined;
    if (action === 'approve') event = 'APPROVED';
    else if (action === 'reject') {
      event = 'REJECTED';
      reason = String(body.reason ?? 'INVALID_FORMAT');
      if (isObject(body.rejectionInfo)) rejectionInfo = { reason: String(body.rejectionInfo.reason ?? ''), recommendation: String(body.rejectionInfo.recommendation ?? '') };
    } else if (action === 'delete') {
      event = 'DELETED';
      reason = null;
    } else {
      need(body, 'status');
      event = String(body.status).toUpperCase() as TemplateStatus;
      reason = body.reason === undefined ? 'NONE' : body.reason;
    }
    t.status = event;
    t.modifiedAt = st.clock.now();
    if (event === 'REJECTED') t.rejectedReason = reason ?? undefined;
    else delete t.rejectedReason;
    if (event === 'PAUSED' || event === 'FLAGGED') t.qualityScore = { score: 'RED', date: st.clock.seconds() };
    let sent: (Dispatched | null)[] = [];
    if (body.notify !== false) {
      if (t.provider === 'meta') sent = sim.templateStatusChanged(t, event, reason, rejectionInfo);
      else {
        const app = st.gupshupApps.get(t.owner);
        if (app) sent = [sim.dispatcher.dispatch(gupshupTemplateEventOutgoing(st, app, t, event === 'REJECTED' ? reason ?? undefined : undefined))];
      }
    }
    return { body: { template: t, webhooks: await results(sent) } };
  }

  // Media, settings, faults
  if (is('POST', /^\/media$/)) {
    const b = body.business ? st.findBusiness(String(body.business)) : undefined;
    if (body.business && !b) throw new ControlError(404, `no business "${body.business}"`);
    const owner = !b ? String(body.owner ?? 'unowned') : b.provider === 'meta' ? b.key : `${b.provider}:${b.key}`;
    const bytes = body.base64 !== undefined ? Buffer.from(String(body.base64), 'base64') : Buffer.from(String(body.text ?? ''), 'utf8');
    const item = storeMedia(sim, owner, bytes, String(body.mimeType ?? 'application/octet-stream'), str(body.filename));
    const url = b?.provider === 'meta' ? mediaUrl(sim, ctx.base, item) : `${ctx.base}/${b?.provider ?? 'gupshup'}-media/${item.id}`;
    return { status: 201, body: { id: item.id, sha256: item.sha256, size: bytes.length, mimeType: item.mimeType, url } };
  }
  if (is('POST', /^\/(faults|settings)$/)) {
    const scope = str(body.scope);
    const patch = validatePatch(body);
    const revoke = (body as FaultPatch).revokeToken;
    if (revoke) {
      let token = typeof revoke === 'string' ? revoke : undefined;
      if (revoke === true) {
        const n = scope ? st.metaNumbers.get(scope) : undefined;
        if (!n) throw new ControlError(400, 'revokeToken: true needs scope = a Meta phoneNumberId');
        token = n.accessToken;
      }
      st.revokedTokens.add(token as string);
    }
    if (Object.keys(patch).length) st.settings.patch(scope, patch);
    return { body: { scope: scope ?? 'global', effective: st.settings.effective(scope), revokedTokens: st.revokedTokens.size } };
  }
  if (is('GET', /^\/(faults|settings)$/)) return { body: query.scope ? st.settings.effective(query.scope) : st.settings.snapshot() };
  if (is('POST', /^\/subscribed-apps$/)) {
    need(body, 'wabaId');
    st.subscribedApps.set(String(body.wabaId), body.subscribed !== false);
    return { body: { wabaId: String(body.wabaId), subscribed: body.subscribed !== false } };
  }

  // Logs
  if (is('GET', /^\/requests$/)) {
    return {
      body: st.requests.filter(
        (r) => r.seq > since(query) && (!query.provider || r.provider === query.provider) && (!query.path || r.path.includes(query.path)) && (!query.method || r.method === query.method.toUpperCase()),
      ),
    };
  }
  if (is('GET', /^\/webhooks$/)) {
    return {
      body: st.webhooks.filter(
        (w) =>
          w.seq > since(query) &&
          (!query.provider || w.provider === query.provider) &&
          (!query.account || w.accountKey === query.account) &&
          (!query.kind || w.events.some((e) => e.kind === query.kind)) &&
          (!query.messageId || w.events.some((e) => e.id === query.messageId)),
      ),
    };
  }
  if (is('POST', /^\/webhooks\/flush$/)) {
    await sim.dispatcher.flush();
    return { body: { ok: true } };
  }
  if (is('POST', /^\/settle$/)) {
    const maxMs = Math.min(Number(body.timeoutMs ?? 5000), 60_000);
    const settled = await settle(sim, maxMs);
    return { body: { settled, pendingTimers: st.timers.pending } };
  }

  // Extra webhooks
  if (is('POST', /^\/meta\/events$/)) {
    need(body, 'phoneNumberId', 'field', 'value');
    const n = st.metaNumbers.get(String(body.phoneNumberId));
    if (!n) throw new ControlError(404, 'no such Meta number');
    // A `messages` or `user_preferences` value (e.g. value.errors[]) gets the usual messaging_product + metadata.
    const value = body.field === 'messages' || body.field === 'user_preferences'
      ? { messaging_product: 'whatsapp', metadata: { display_phone_number: n.displayPhoneNumber, phone_number_id: n.phoneNumberId }, ...body.value }
      : body.value;
    const unit: MetaUnit = { wabaId: n.wabaId, phoneNumberId: n.phoneNumberId, displayPhoneNumber: n.displayPhoneNumber, field: String(body.field), value };
    const [webhook] = await results([sim.sendMetaUnits(n, [unit])]);
    return { body: { webhook } };
  }
  if (is('POST', /^\/gupshup\/user-events$/)) {
    need(body, 'app', 'phone');
    const app = st.gupshupApps.get(String(body.app)) ?? [...st.gupshupApps.values()].find((a) => a.appId === body.app);
    if (!app) throw new ControlError(404, 'no such Gupshup app');
    const [webhook] = await results([sim.dispatcher.dispatch(gupshupUserEventOutgoing(st, app, String(body.phone), String(body.type ?? 'opted-in')))]);
    return { body: { webhook } };
  }
  if (is('POST', /^\/meta\/verify-webhook$/)) {
    need(body, 'phoneNumberId');
    const n = st.metaNumbers.get(String(body.phoneNumberId));
    if (!n) throw new ControlError(404, 'no such Meta number');
    const challenge = randomHex(8);
    const u = new URL(n.webhookUrl);
    u.searchParams.set('hub.mode', 'subscribe');
    u.searchParams.set('hub.challenge', challenge);
    u.searchParams.set('hub.verify_token', String(body.verifyToken ?? n.verifyToken ?? ''));
    const r = await getText(u.toString());
    return { body: { url: u.toString(), challenge, statusCode: r.status, body: r.body, ok: r.status === 200 && r.body === challenge } };
  }
  throw new ControlError(404, `no control route ${method} /_sim${path}`);
};

/** Waits (bounded) until no status timer is pending, no batch is collecting and no webhook is queued or in flight. */
export const settle = async (sim: Simulator, maxMs: number) => {
  const rounds = Math.ceil(maxMs / 5);
  for (let i = 0; i < rounds; i++) {
    if (sim.state.timers.pending === 0 && !sim.dispatcher.busy) return true;
    await sim.dispatcher.idle();
    await sleep(5);
  }
  return false;
};

const getText = (url: string) =>
  new Promise<{ status: number | null; body: string }>((resolve) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: null, body: e.message }));
  });
