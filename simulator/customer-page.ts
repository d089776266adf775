/**
 * GET / — a self-contained page (plain JS, no build) where a person plays the customer: pick a
 * business number and a customer, type messages (sent to the plugin as real webhooks), and watch
 * the business's replies arrive (polls /_sim/conversation every second) with status ticks.
 */
export const customerPage = () => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhatsApp simulator — customer</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #e5ddd5; color: #111; }
  header { background: #075e54; color: #fff; padding: 8px 12px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
  header label { display: flex; gap: 4px; align-items: center; }
  header select, header input { padding: 4px; border-radius: 4px; border: 0; }
  #window { margin-left: auto; font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #128c7e; }
  #window.closed { background: #a33; }
  main { max-width: 760px; margin: 0 auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; min-height: calc(100vh - 120px); }
  .msg { max-width: 75%; padding: 6px 9px; border-radius: 8px; box-shadow: 0 1px 1px rgba(0,0,0,.15); white-space: pre-wrap; word-wrap: break-word; }
  .in { align-self: flex-end; background: #dcf8c6; }
  .out { align-self: flex-start; background: #fff; }
  .meta { font-size: 11px; color: #667; text-align: right; margin-top: 2px; }
  .tick.read { color: #34b7f1; }
  .tick.failed { color: #c00; }
  .tag { font-size: 11px; background: #eee; border-radius: 4px; padding: 0 4px; margin-right: 4px; }
  .actions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .actions button { border: 1px solid #128c7e; background: #fff; color: #128c7e; border-radius: 12px; padding: 2px 10px; cursor: pointer; }
  footer { position: sticky; bottom: 0; background: #f0f0f0; padding: 8px; display: flex; gap: 6px; max-width: 760px; margin: 0 auto; }
  footer input { flex: 1; padding: 8px; border-radius: 18px; border: 1px solid #ccc; }
  footer button { border: 0; background: #128c7e; color: #fff; border-radius: 18px; padding: 0 14px; cursor: pointer; }
  #status { max-width: 760px; margin: 0 auto; padding: 0 8px 8px; font-size: 12px; color: #444; }
  .empty { text-align: center; color: #555; margin-top: 40px; }
</style>
</head>
<body>
<header>
  <strong>WhatsApp simulator</strong>
  <label>Business <select id="business"></select></label>
  <label>Customer <select id="customer"></select></label>
  <input id="newPhone" placeholder="new phone, e.g. 15550004545" size="18">
  <input id="newName" placeholder="name" size="10">
  <button id="addCustomer" type="button">Add</button>
  <label title="Also send read statuses when business messages are shown"><input type="checkbox" id="autoRead"> read what I see</label>
  <span id="window">window</span>
</header>
<main id="chat"><div class="empty">Add a business number through the control API (POST /_sim/meta/numbers …), then pick it above.</div></main>
<footer>
  <button id="more" type="button" title="Send a location / image / document">+</button>
  <input id="text" placeholder="Type a message as the customer" autocomplete="off">
  <button id="send" type="button">Send</button>
</footer>
<div id="status"></div>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { business: '', customer: '', items: [], lastKey: '' };

  function api(method, path, body) {
    return fetch('/_sim' + path, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j && j.error || r.status); return j; }); });
  }
  function say(text) { $('status').textContent = text; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function time(ms) { var d = new Date(ms); return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); }

  function loadLists() {
    return Promise.all([api('GET', '/businesses'), api('GET', '/customers')]).then(function (r) {
      fill($('business'), r[0].map(function (b) { return { value: b.provider + ':' + b.key, label: b.label }; }), state.business);
      fill($('customer'), r[1].map(function (c) { return { value: c.phone, label: c.name + ' (' + c.phone + ')' + (c.reachable ? '' : ' — unreachable') }; }), state.customer);
      state.business = $('business').value; state.customer = $('customer').value;
    });
  }
  function fill(select, options, keep) {
    var html = select.value; select.textContent = '';
    options.forEach(function (o) { var opt = el('option', '', o.label); opt.value = o.value; select.appendChild(opt); });
    if (keep && options.some(function (o) { return o.value === keep; })) select.value = keep;
    else if (html && options.some(function (o) { return o.value === html; })) select.value = html;
  }
  function businessRef() { var v = state.business; var i = v.indexOf(':'); return { provider: v.slice(0, i), key: v.slice(i + 1) }; }

  function customerSends(input) {
    if (!state.business || !state.customer) { say('Pick a business and a customer first.'); return; }
    var b = businessRef();
    input.from = state.customer; input.to = b.key; input.provider = b.provider;
    say('Sending…');
    api('POST', '/inbound', input).then(function (r) {
      var w = r.webhook;
      say(r.pending ? 'Queued in a batch (batch fault on).' : w && w.statusCode ? 'Webhook delivered — the plugin answered HTTP ' + w.statusCode : 'Webhook not delivered: ' + (w && w.error || 'no answer'));
      poll();
    }).catch(function (e) { say('Error: ' + e.message); });
  }

  function ticks(m) {
    if (m.status === 'failed') return el('span', 'tick failed', '✗ ' + (m.error ? m.error.code + ' ' + m.error.title : 'failed'));
    var t = m.status === 'read' || m.status === 'played' ? '✓✓' : m.status === 'delivered' ? '✓✓' : m.status === 'sent' || m.status === 'enqueued' ? '✓' : '🕓';
    return el('span', 'tick' + (m.status === 'read' || m.status === 'played' ? ' read' : ''), t);
  }

  function render() {
    var chat = $('chat'); chat.textContent = '';
    if (!state.items.length) { chat.appendChild(el('div', 'empty', 'No messages yet.')); return; }
    state.items.forEach(function (m) {
      var box = el('div', 'msg ' + m.direction);
      if (m.direction === 'out') {
        if (m.template) box.appendChild(el('span', 'tag', 'template ' + m.template.name));
        if (m.type !== 'text' && m.type !== 'template' && m.type !== 'interactive') box.appendChild(el('span', 'tag', m.type));
        if (m.contextMessageId) box.appendChild(el('span', 'tag', '↩ reply'));
        if (m.reaction) box.appendChild(document.createTextNode('reacted ' + (m.reaction.emoji || '(removed)')));
        if (m.text) box.appendChild(document.createTextNode(m.text));
        if (m.caption) box.appendChild(document.createTextNode((m.text ? '\\n' : '') + m.caption));
        if (m.media) {
          var link = m.media.url || (m.media.id ? 'media id ' + m.media.id : '');
          var a = el('div', '', '📎 ' + (m.media.filename || link));
          box.appendChild(a);
        }
        var actions = el('div', 'actions');
        (m.buttons || []).forEach(function (b) {
          var btn = el('button', '', b.title);
          btn.type = 'button';
          btn.onclick = function () {
            if (b.kind === 'url') { window.open(b.id || '#', '_blank'); return; }
            if (m.template) customerSends({ type: 'button', button: { payload: b.id || b.title, text: b.title }, contextMessageId: m.waMessageId });
            else customerSends({ type: 'interactive', reply: { kind: 'button_reply', id: b.id || b.title, title: b.title }, contextMessageId: m.waMessageId });
          };
          actions.appendChild(btn);
        });
        if (m.list) m.list.rows.forEach(function (r) {
          var btn = el('button', '', '☰ ' + r.title);
          btn.type = 'button';
          btn.onclick = function () { customerSends({ type: 'interactive', reply: { kind: 'list_reply', id: r.id, title: r.title, description: r.description }, contextMessageId: m.waMessageId }); };
          actions.appendChild(btn);
        });
        var react = el('button', '', '👍');
        react.type = 'button'; react.title = 'React';
        react.onclick = function () { customerSends({ type: 'reaction', reaction: { messageId: m.waMessageId, emoji: '👍' } }); };
        actions.appendChild(react);
        box.appendChild(actions);
        var meta = el('div', 'meta', time(m.at) + ' '); meta.appendChild(ticks(m)); box.appendChild(meta);
        if ($('autoRead').checked && (m.status === 'sent' || m.status === 'delivered')) api('POST', '/messages/' + encodeURIComponent(m.id) + '/read', {}).catch(function () {});
      } else {
        if (m.type !== 'text') box.appendChild(el('span', 'tag', m.type));
        box.appendChild(document.createTextNode(m.text || ''));
        var meta2 = el('div', 'meta', time(m.at) + ' ' + (m.readByBusiness ? 'seen by business' : ''));
        box.appendChild(meta2);
      }
      chat.appendChild(box);
    });
  }

  function poll() {
    if (!state.business || !state.customer) return Promise.resolve();
    var b = businessRef();
    return api('GET', '/conversation?business=' + encodeURIComponent(b.key) + '&phone=' + encodeURIComponent(state.customer)).then(function (c) {
      var w = $('window'); w.textContent = c.windowOpen ? '24 h window open' : '24 h window closed'; w.className = c.windowOpen ? '' : 'closed';
      var key = JSON.stringify(c.items.map(function (i) { return [i.seq, i.status, i.readByBusiness]; }));
      state.items = c.items;
      if (key !== state.lastKey) { state.lastKey = key; render(); window.scrollTo(0, document.body.scrollHeight); }
    }).catch(function (e) { say('Error: ' + e.message); });
  }

  $('business').onchange = function () { state.business = this.value; state.lastKey = ''; poll(); };
  $('customer').onchange = function () { state.customer = this.value; state.lastKey = ''; poll(); };
  $('addCustomer').onclick = function () {
    var phone = $('newPhone').value.trim(); if (!phone) return;
    api('POST', '/customers', { phone: phone, name: $('newName').value.trim() || undefined, reachable: true }).then(function (c) {
      state.customer = c.phone; $('newPhone').value = ''; $('newName').value = ''; return loadLists();
    }).then(poll).catch(function (e) { say('Error: ' + e.message); });
  };
  $('send').onclick = function () { var t = $('text').value; if (!t.trim()) return; $('text').value = ''; customerSends({ type: 'text', text: t }); };
  $('text').onkeydown = function (e) { if (e.key === 'Enter') $('send').onclick(); };
  $('more').onclick = function () {
    var what = prompt('Send what? location / image / document / audio', 'location');
    if (what === 'location') customerSends({ type: 'location', location: { latitude: 37.4847, longitude: -122.1477, name: 'Example Warehouse', address: '1 Example Way' } });
    else if (what === 'image' || what === 'document' || what === 'audio') customerSends({ type: what, caption: what === 'audio' ? undefined : 'Sent from the simulator', voice: what === 'audio' });
  };

  loadLists().then(poll);
  setInterval(function () { poll(); }, 1000);
  setInterval(function () { loadLists(); }, 10000);
})();
</script>
</body>
</html>
`;
