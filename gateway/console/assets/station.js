// A station screen: what to do now, big; the last verdict in colour with its reason; live.
// Open as /station/{id}?token=... (a viewer token is enough).
const stationId = decodeURIComponent(location.pathname.split('/').pop());
const token = new URLSearchParams(location.search).get('token') || localStorage.getItem('dsgw-token') || '';
const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function render(screen) {
  $('station').textContent = `${screen.kind ?? ''} station ${screen.station}`;
  $('order').textContent = screen.orderId ? `order ${screen.orderId}` : screen.batchId ? `batch ${screen.batchId}` : screen.asn ? `ASN ${screen.asn}` : '';
  $('text').textContent = screen.text ?? '';
  // News the screen moved on from (an order cancelled under the picker's hands): until the next scan.
  $('notice').textContent = screen.noticeText ?? '';
  $('notice').hidden = !screen.noticeText;
  $('verdict').className = screen.verdict === 'error' || screen.phase === 'failed' ? 'error' : screen.verdict === 'ok' ? 'ok' : 'idle';
  $('lines').innerHTML = (screen.lines ?? [])
    .map((l) => `<tr class="${l.done > l.qty ? 'over' : l.done + (l.short ?? 0) >= l.qty ? 'done' : ''}"><td class="bin">${esc(l.bin ?? '')}</td><td>${esc(l.name)}</td><td class="qty">${l.done}/${l.qty}${l.short ? ` (short ${l.short})` : ''}</td></tr>`)
    .join('');
  // A batch pick station: one card per put wall slot, the slot to put into now highlighted.
  $('slots').innerHTML = (screen.slots ?? [])
    .map((s) => {
      const qty = s.lines.reduce((n, l) => n + l.qty, 0);
      const done = s.lines.reduce((n, l) => n + l.done + (l.short ?? 0), 0);
      const state = s.put !== undefined ? 'put' : s.status;
      return `<div class="slot ${esc(state)}"><div class="no">${s.slot}</div><div>${esc(s.orderId ?? 'empty')}</div><div>${s.tote ? `tote ${esc(s.tote)}` : ''}</div>`
        + `<div class="qty">${s.put !== undefined ? `put ${s.put}` : s.status === 'cancelled' ? 'cancelled' : s.orderId ? `${done}/${qty}` : ''}</div></div>`;
    })
    .join('');
  $('weight').textContent = screen.weight
    ? `${screen.weight.grams !== undefined ? `${(screen.weight.grams / 1000).toFixed(2)} kg, ` : ''}expected ${(screen.weight.expected / 1000).toFixed(2)} ± ${(screen.weight.tolerance / 1000).toFixed(2)} kg`
    : '';
  document.title = `${screen.station}: ${screen.text ?? ''}`;
}

async function load() {
  const res = await fetch(`/api/v1/stations/${encodeURIComponent(stationId)}/screen`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  if (!res.ok) { $('text').textContent = body.error; $('verdict').className = 'error'; return; }
  render(body);
  const live = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(token)}`);
  live.onopen = () => { $('live').textContent = 'live'; $('live').className = 'up'; };
  live.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'down'; };
  live.addEventListener('station', (m) => {
    const screen = JSON.parse(m.data);
    if (screen.station === stationId) render(screen);
  });
}

load();
