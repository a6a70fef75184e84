// The store admin console: plain modules, no build, no CDN. Talks only to /api/v1 with the
// token the admin typed once (kept in this browser's localStorage).
const page = document.getElementById('page');
const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
let token = localStorage.getItem('dsgw-token') || new URLSearchParams(location.search).get('token') || '';

async function api(method, path, body) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 || res.status === 429) { showLogin(data.error); throw new Error(data.error); }
  if (!res.ok) throw new Error(data.error || `${res.status}`);
  return data;
}

function showLogin(message) {
  page.innerHTML = `<h2>Sign in</h2><p class="error">${esc(message || '')}</p>
    <form class="inline" id="login"><label>API token<input name="token" type="password" size="40" autofocus></label><button class="primary">Sign in</button></form>
    <p class="muted">Tokens are listed under <code>http.tokens</code> in the config; <code>npm start</code> prints a demo token.</p>`;
  document.getElementById('login').onsubmit = (e) => {
    e.preventDefault();
    token = new FormData(e.target).get('token').trim();
    localStorage.setItem('dsgw-token', token);
    route();
  };
}

const views = {
  async devices() {
    const { devices } = await api('GET', '/devices');
    page.innerHTML = `<h2>Devices</h2>
      <table id="devices"><tr><th>Device</th><th>Class</th><th>Transport</th><th>Status</th><th>Test</th></tr>
      ${devices.map((d) => `<tr data-device="${esc(d.id)}"><td><b>${esc(d.id)}</b><br><small class="muted">${esc(d.name || '')}</small></td>
        <td>${esc(d.class)}${d.protocol ? ` <small>(${esc(d.protocol)})</small>` : ''}</td><td>${esc(d.transport.type)}${d.transport.path ? ` <small>${esc(d.transport.path)}</small>` : ''}</td>
        <td>${status(d.health)}</td><td>${testButtons(d)}</td></tr>`).join('')}</table>
      <h3>Add a device</h3>
      <form class="inline" id="add-device">
        <label>Id<input name="id" required placeholder="scanner-pick-2"></label>
        <label>Class<select name="class"><option>scanner</option><option>scale</option><option>light</option><option>printer</option><option>sensor</option></select></label>
        <label>Transport<select name="transport"><option>mqtt</option></select></label>
        <label>Secret (MQTT password)<input name="secret" type="password" minlength="8" required></label>
        <button class="primary">Add</button><span id="add-result"></span>
      </form>
      <h3>Plugged into this gateway</h3><div id="discovery" class="muted">Looking for serial ports and USB HID devices…</div>`;
    discover();
    document.getElementById('add-device').onsubmit = async (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      const out = document.getElementById('add-result');
      try {
        await api('POST', '/devices', { id: f.get('id'), class: f.get('class'), transport: { type: f.get('transport') }, secret: f.get('secret') });
        await views.devices();
      } catch (err) { out.innerHTML = `<span class="error">${esc(err.message)}</span>`; }
    };
    for (const b of page.querySelectorAll('button[data-test]')) {
      b.onclick = async () => {
        const cell = b.parentElement;
        try {
          const body = { action: b.dataset.test };
          if (b.dataset.test === 'scan') body.data = prompt('Barcode to inject', '4006381333931');
          const r = await api('POST', `/devices/${encodeURIComponent(b.dataset.device)}/test`, body);
          cell.insertAdjacentHTML('beforeend', ` <span class="ok">${esc(r.result || 'sent')}</span>`);
        } catch (err) { cell.insertAdjacentHTML('beforeend', ` <span class="error">${esc(err.message)}</span>`); }
      };
    }
  },

  async layout() {
    const { bins } = await api('GET', '/layout/bins');
    const zones = [...new Set(bins.map((b) => b.zone))];
    page.innerHTML = `<h2>Layout</h2><p class="muted">Click a bin to light it for 10 s.</p>
      ${zones.map((z) => `<h3>Zone ${esc(z)}</h3><div class="bins">${bins.filter((b) => b.zone === z).map((b) => `
        <button class="bin" data-bin="${esc(b.id)}"><b>${esc(b.id)}</b><small>${b.light ? `${esc(b.light.device)} #${esc(b.light.address)}` : 'no light'}</small>
        <small>${b.pickFace ? `face ${b.pickFace.min}-${b.pickFace.max}` : ''}</small></button>`).join('')}</div>`).join('')}`;
    for (const el of page.querySelectorAll('.bin')) {
      el.onclick = async () => {
        try { await api('POST', `/layout/bins/${encodeURIComponent(el.dataset.bin)}/light`, { color: 'blue', seconds: 10 }); el.classList.add('lit'); setTimeout(() => el.classList.remove('lit'), 10000); }
        catch (err) { alert(err.message); }
      };
    }
  },

  async stock() {
    const q = new URLSearchParams(location.hash.split('?')[1] || '');
    const { rows, total } = await api('GET', `/stock?nonZero=true&limit=500${q.get('sku') ? `&sku=${encodeURIComponent(q.get('sku'))}` : ''}`);
    page.innerHTML = `<h2>Stock</h2><p class="muted">${total} positions with stock</p>
      <table><tr><th>SKU</th><th>Item</th><th>Bin</th><th>Lot</th><th>Expiry</th><th>Qty</th></tr>
      ${rows.map((r) => `<tr><td>${esc(r.sku)}</td><td>${esc(r.name)}</td><td>${esc(r.bin)}</td><td>${esc(r.lot)}</td><td>${esc(r.expiry)}</td><td>${r.qty}</td></tr>`).join('')}</table>`;
  },

  async orders() {
    const { rows, total } = await api('GET', '/orders?limit=200');
    page.innerHTML = `<h2>Orders</h2><p class="muted">${total} orders</p>
      <table><tr><th>Order</th><th>Status</th><th>Due</th><th>Lines</th><th>Picked</th><th>Short</th></tr>
      ${rows.map((o) => `<tr><td>${esc(o.orderId)} <small class="muted">${esc(o.shortCode)}</small></td><td>${esc(o.status)}</td><td>${esc(o.dueAt)}</td><td>${o.lines}</td><td>${o.picked}/${o.units}</td><td>${o.short || ''}</td></tr>`).join('')}</table>`;
  },

  async events() {
    const { events } = await api('GET', '/events?limit=100');
    page.innerHTML = `<h2>Event log</h2><p class="muted">Newest first; new events appear live.</p>
      <table id="events"><tr><th>Seq</th><th>At</th><th>Type</th><th>Source</th><th>Data</th></tr>${events.map(eventRow).join('')}</table>`;
  },

  async sync() {
    const s = await api('GET', '/sync').catch((err) => ({ error: err.message }));
    page.innerHTML = `<h2>Cloud sync</h2>${s.error ? `<p class="muted">${esc(s.error)}</p>` : `<pre>${esc(JSON.stringify(s, null, 2))}</pre>`}`;
  },

  async accuracy() {
    const a = await api('GET', '/accuracy').catch((err) => ({ error: err.message }));
    if (a.error) { page.innerHTML = `<h2>Accuracy</h2><p class="muted">${esc(a.error)}</p>`; return; }
    page.innerHTML = `<h2>Accuracy</h2>${chart(a.hourly || [])}<pre>${esc(JSON.stringify(a, null, 2))}</pre>`;
  },
};

async function discover() {
  const out = document.getElementById('discovery');
  try {
    const [serial, hid] = await Promise.all([api('GET', '/discovery/serial'), api('GET', '/discovery/hid').catch((err) => ({ devices: [], error: err.message }))]);
    const rows = [
      ...serial.ports.map((p) => `<tr><td>serial</td><td><code>${esc(p.path)}</code></td><td>${esc(p.vendorId ?? '')}:${esc(p.productId ?? '')}</td><td>${esc(p.serialNumber ?? '')}</td><td>${esc(p.manufacturer ?? '')}</td></tr>`),
      ...hid.devices.map((d) => `<tr><td>HID ${esc(d.kind)}</td><td><code>${esc(d.path ?? '')}</code></td><td>${esc(d.vendorId)}:${esc(d.productId)}</td><td>${esc(d.serialNumber ?? '')}</td><td>${esc(d.product ?? '')}</td></tr>`),
    ];
    out.className = '';
    out.innerHTML = rows.length
      ? `<table><tr><th>Kind</th><th>Path</th><th>USB vendor:product</th><th>Serial</th><th>Name</th></tr>${rows.join('')}</table>`
      : '<p class="muted">No serial ports or HID devices found.</p>';
    if (hid.error) out.insertAdjacentHTML('beforeend', `<p class="muted">HID: ${esc(hid.error)}</p>`);
  } catch (err) {
    out.textContent = `Discovery needs the operator role (${err.message}).`;
  }
}

function status(health) {
  if (!health) return '<span class="pill unknown">unknown</span>';
  const state = health.state || (health.online ? 'online' : 'offline');
  const cls = state === 'online' ? 'online' : state === 'offline' || state === 'error' ? 'offline' : 'unknown';
  return `<span class="pill ${cls}">${esc(state)}</span>${health.lastSeen ? `<br><small class="muted">seen ${esc(health.lastSeen)}</small>` : ''}${health.lastError ? `<br><small class="error">${esc(health.lastError.reason || health.lastError)}</small>` : ''}`;
}

function testButtons(d) {
  const actions = { light: ['blink'], printer: ['print-test'], scale: ['read', 'tare'], scanner: ['scan'], sensor: [] }[d.class] || [];
  return actions.map((a) => `<button data-test="${a}" data-device="${esc(d.id)}">${a}</button>`).join(' ');
}

function eventRow(e) {
  const source = Object.entries(e.source || {}).map(([k, v]) => `${k}=${v}`).join(' ');
  return `<tr><td>${e.seq}</td><td><small>${esc(e.at)}</small></td><td>${esc(e.type)}</td><td><small>${esc(source)}</small></td><td><code>${esc(JSON.stringify(e.data))}</code></td></tr>`;
}

function chart(points) {
  if (!points.length) return '';
  const max = Math.max(1, ...points.map((p) => p.scans));
  const w = 600, h = 160, step = w / points.length;
  const bars = points.map((p, i) => {
    const sh = (p.scans / max) * (h - 20), fh = (p.failures / max) * (h - 20);
    return `<rect x="${i * step + 2}" y="${h - sh}" width="${step - 4}" height="${sh}" fill="#0969da"><title>${esc(p.hour)}: ${p.scans} scans</title></rect>
      <rect x="${i * step + 2}" y="${h - fh}" width="${step - 4}" height="${fh}" fill="#cf222e"><title>${p.failures} failures</title></rect>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="scans and failures per hour">${bars}</svg>`;
}

let live;
function connectLive() {
  live?.close();
  live = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(token)}`);
  live.addEventListener('log', (m) => {
    const e = JSON.parse(m.data);
    const table = document.getElementById('events');
    if (table) table.rows[0].insertAdjacentHTML('afterend', eventRow(e));
  });
  live.addEventListener('device', (m) => {
    const change = JSON.parse(m.data);
    const row = document.querySelector(`tr[data-device="${CSS.escape(change.deviceId)}"]`);
    if (row) row.cells[3].innerHTML = status(change.health || { online: change.online });
  });
}

async function route() {
  if (!token) return showLogin();
  const name = (location.hash.slice(1).split('?')[0] || 'devices');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${name}`);
  try {
    const me = await api('GET', '/me');
    document.getElementById('who').textContent = `${me.name} (${me.role})`;
    document.getElementById('store').textContent = `darkstore-gateway · ${me.store}`;
    await (views[name] || views.devices)();
    connectLive();
  } catch (err) {
    if (!page.querySelector('#login')) page.innerHTML = `<p class="error">${esc(err.message)}</p>`;
  }
}

window.addEventListener('hashchange', route);
route();
