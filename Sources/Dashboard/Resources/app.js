/* paystack-mock dashboard: plain ES2020, no dependencies, no inline handlers (works under CSP default-src 'self'). */
(() => {
  'use strict';

  // ---------- small helpers ----------
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  /** Builds an element: h('a', {href, class, dataset:{}, onclick}, ...children). Text is never parsed as HTML. */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k === 'onclick') el.__click = v; // delegated (see wire()), so morph() can swap it
        else if (k === 'onsubmit') el.__submit = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid == null || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }
  const svgNS = 'http://www.w3.org/2000/svg';
  function icon(d) {
    const s = document.createElementNS(svgNS, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    const p = document.createElementNS(svgNS, 'path');
    p.setAttribute('d', d);
    s.append(p);
    return s;
  }
  const COPY_ICON = 'M9 9h10v11H9zM5 15V4h10';
  const debounce = (fn, ms) => {
    let t;
    return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
  };
  /** Runs fn one at a time; a call while it runs schedules exactly one more run. */
  function serial(fn) {
    let running = null;
    let again = false;
    return function run() {
      if (running) { again = true; return running; }
      running = (async () => {
        try { do { again = false; await fn(); } while (again); } finally { running = null; }
      })();
      return running;
    };
  }
  const pad = (n) => String(n).padStart(2, '0');
  function fmtDate(iso, seconds) {
    const d = new Date(iso);
    if (!iso || isNaN(d)) return iso || '—';
    const s = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    return seconds ? s + ':' + pad(d.getUTCSeconds()) : s;
  }
  function fmtTime(iso) {
    const d = new Date(iso);
    if (!iso || isNaN(d)) return iso || '—';
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  const dateCell = (iso, seconds) => h('time', { datetime: iso, title: iso ? iso + ' (UTC)' : null }, fmtDate(iso, seconds));
  function fmtDuration(total) {
    total = Math.max(0, Math.floor(total));
    const d = Math.floor(total / 86400), hh = Math.floor(total % 86400 / 3600), m = Math.floor(total % 3600 / 60), s = total % 60;
    if (d) return `${d}d ${hh}h ${m}m`;
    if (hh) return `${hh}h ${m}m ${s}s`;
    if (m) return `${m}m ${s}s`;
    return `${s}s`;
  }
  const dash = (v) => (v == null || v === '' ? '—' : v);
  const storage = (kind) => ({
    get(k) { try { return window[kind].getItem(k); } catch { return null; } },
    set(k, v) { try { if (v == null) window[kind].removeItem(k); else window[kind].setItem(k, v); } catch { /* private mode */ } },
  });
  const local = storage('localStorage');
  const session = storage('sessionStorage');
  const LS = { integration: 'paystack-mock.integration', domain: 'paystack-mock.domain', token: 'paystack-mock.adminToken' };

  // ---------- badges ----------
  const RISK = { allow: ['green', 'allow'], deny: ['red', 'deny'], default: ['', 'default'] };
  const riskBadge = (r) => {
    const [cls, label] = RISK[r] || ['', r || '—'];
    const title = r === 'allow' ? 'Whitelisted' : r === 'deny' ? 'Blacklisted' : 'Default risk';
    return h('span', { class: 'badge ' + cls, title }, label);
  };
  const yesNo = (v) => h('span', { class: 'badge ' + (v ? 'green' : '') }, v ? 'yes' : 'no');
  const STATE = { delivered: 'green', failed: 'red', pending: 'amber', no_url: '' };
  const stateBadge = (s) => h('span', { class: 'badge ' + (STATE[s] ?? ''), title: s === 'no_url' ? 'No webhook URL was set for this integration' : null }, s === 'no_url' ? 'no url' : s);
  const statusBadge = (code) => {
    const cls = code == null ? '' : code < 300 ? 'green' : code < 500 ? 'amber' : 'red';
    return h('span', { class: 'badge mono ' + cls }, code == null ? '—' : String(code));
  };

  // ---------- toast (the one live region for results and errors) ----------
  let toastTimer;
  function toast(message, kind = 'info') {
    const wrap = $('#toast-wrap');
    clearTimeout(toastTimer);
    wrap.dataset.kind = kind;
    $('#toast').textContent = message;
    wrap.classList.remove('empty');
    toastTimer = setTimeout(clearToast, kind === 'error' ? 12000 : 6000);
  }
  function clearToast() {
    $('#toast').textContent = '';
    $('#toast-wrap').classList.add('empty');
  }
  const fail = (e) => { if (e && e.status !== 401) toast(e.message || String(e), 'error'); };

  // ---------- API ----------
  class ApiError extends Error {
    constructor(message, status, body) { super(message); this.status = status; this.body = body; }
  }
  let token = session.get(LS.token);

  /** Calls the server. /_sandbox/ paths carry the admin token; Paystack paths carry `key`. */
  async function api(path, { method = 'GET', body, key, raw } = {}) {
    const admin = path.startsWith('/_sandbox/');
    const headers = { Accept: 'application/json' };
    if (admin) {
      if (token) headers.Authorization = 'Bearer ' + token;
    } else {
      if (key) headers.Authorization = 'Bearer ' + key;
      headers['X-Paystack-Mock-Client'] = 'dashboard';
    }
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, { method, headers, body: payload, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      throw new ApiError('The server did not answer: is paystack-mock still running?', 0);
    }
    const text = await res.text();
    if (raw && res.ok) return text;
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    const message = json && typeof json.message === 'string' ? json.message : null;
    if (admin && res.status === 401) {
      unauthorized(message);
      throw new ApiError(message || 'A valid admin token is required', 401, json);
    }
    if (!res.ok || (json && json.status === false)) {
      throw new ApiError(message || `${method} ${path} failed with HTTP ${res.status}`, res.status, json);
    }
    return json || {};
  }
  const qs = (o) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v != null && v !== '') p.set(k, v);
    return p.toString();
  };

  // ---------- shared state ----------
  const S = {
    booted: false,
    integrations: [],
    integrationsRoute: true,
    health: null,
    healthAt: 0,
    integrationId: local.get(LS.integration),
    domain: local.get(LS.domain) || 'test',
    view: null,
    param: '',
    journalOff: false,
  };
  const integrationById = (id) => S.integrations.find((i) => String(i.id) === String(id));
  const currentIntegration = () => integrationById(S.integrationId);
  const keyOf = (i, d) => (i && i.secret_keys ? i.secret_keys[d] : undefined);

  async function loadIntegrations() {
    let list;
    if (S.integrationsRoute) {
      try {
        list = (await api('/_sandbox/integrations')).data;
      } catch (e) {
        if (e.status !== 404) throw e;
        S.integrationsRoute = false; // an older server: the state document has them too
      }
    }
    if (!list) list = ((await api('/_sandbox/state')).integrations || []).map((i) => ({ ...i, customers: null }));
    S.integrations = Array.isArray(list) ? list : [];
    renderContext();
  }

  /** Integration and domain selectors (top bar), and the reset selector. */
  function renderContext() {
    if (!currentIntegration()) S.integrationId = S.integrations[0] ? String(S.integrations[0].id) : null;
    const i = currentIntegration();
    if (i && !keyOf(i, S.domain)) S.domain = keyOf(i, 'test') ? 'test' : 'live';
    const label = (x) => `${x.business_name || 'Integration'} · ${x.id}`;
    const sig = JSON.stringify(S.integrations.map((x) => [x.id, x.business_name]));
    for (const sel of [$('#integration-select'), $('#reset-integration-select')]) {
      if (sel.dataset.sig !== sig) {
        sel.replaceChildren(...S.integrations.map((x) => h('option', { value: x.id }, label(x))));
        sel.dataset.sig = sig;
      }
    }
    const sel = $('#integration-select');
    sel.value = S.integrationId ?? '';
    sel.disabled = !S.integrations.length;
    const dsel = $('#domain-select');
    for (const opt of dsel.options) {
      opt.disabled = !!i && !keyOf(i, opt.value);
      opt.textContent = opt.value + (opt.disabled ? ' (no key)' : '');
    }
    dsel.value = S.domain;
    local.set(LS.integration, S.integrationId);
    local.set(LS.domain, S.domain);
  }
  function setContext(id, domain) {
    S.integrationId = String(id);
    if (domain) S.domain = domain;
    renderContext();
  }

  // ---------- JSON and copy ----------
  /** Pretty, highlighted JSON in a <pre>; text that is not JSON is shown as it is. */
  function jsonView(value, { empty = '(empty)' } = {}) {
    const pre = h('pre', { class: 'code' });
    let text;
    let isJSON = true;
    if (typeof value === 'string') {
      if (value === '') return h('pre', { class: 'code muted' }, empty);
      try { text = JSON.stringify(JSON.parse(value), null, 2); } catch { text = value; isJSON = false; }
    } else {
      text = JSON.stringify(value, null, 2) ?? 'null';
    }
    if (!isJSON || text.length > 200000) { pre.textContent = text; return pre; }
    const re = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
    let last = 0;
    let m;
    const frag = document.createDocumentFragment();
    while ((m = re.exec(text))) {
      if (m.index > last) frag.append(text.slice(last, m.index));
      if (m[1]) {
        frag.append(h('span', { class: m[2] ? 'j-k' : 'j-s' }, m[1]));
        if (m[2]) frag.append(m[2]);
      } else if (m[3]) frag.append(h('span', { class: 'j-n' }, m[3]));
      else frag.append(h('span', { class: 'j-l' }, m[4]));
      last = re.lastIndex;
    }
    frag.append(text.slice(last));
    pre.append(frag);
    return pre;
  }

  async function copy(text, what) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const back = document.activeElement;
      const ta = h('textarea', { class: 'sr-only', readonly: true, 'aria-hidden': 'true' });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand('copy'); } catch { ok = false; }
      ta.remove();
      if (back && back.focus) back.focus();
    }
    if (ok) toast(`${what} copied to the clipboard`, 'success');
    else toast(`Could not copy ${what.toLowerCase()}: select it and copy it by hand`, 'error');
  }
  const copyButton = (text, what, fk) =>
    h('button', { type: 'button', class: 'btn icon', 'aria-label': `Copy ${what.toLowerCase()}`, title: `Copy ${what.toLowerCase()}`, dataset: fk ? { fk } : undefined, onclick: () => copy(text, what) }, icon(COPY_ICON));

  /** Runs an action from a button: one at a time, toasts the outcome or the server's message. */
  async function act(btn, fn, success) {
    if (btn) {
      if (btn.getAttribute('aria-busy') === 'true') return undefined;
      btn.setAttribute('aria-busy', 'true');
      btn.classList.add('busy');
    }
    try {
      const r = await fn();
      if (success) toast(typeof success === 'function' ? success(r) : success, 'success');
      return r;
    } catch (e) {
      fail(e);
      return undefined;
    } finally {
      if (btn) {
        btn.removeAttribute('aria-busy');
        btn.classList.remove('busy');
      }
    }
  }

  /** Replaces a container's children when the data changed, keeping focus on the "same" control. */
  function renderInto(el, sig, build) {
    if (sig != null && el.dataset.sig === sig) return false;
    const active = document.activeElement;
    const fk = active && el.contains(active) && active.dataset ? active.dataset.fk : null;
    el.replaceChildren(...build());
    if (sig != null) el.dataset.sig = sig;
    if (fk) {
      const again = $$('[data-fk]', el).find((x) => x.dataset.fk === fk);
      if (again) again.focus();
    }
    return true;
  }
  const emptyRow = (cols, text) => h('tr', null, h('td', { colspan: cols, class: 'empty-cell' }, text));

  /**
   * Keyed list rendering: an item whose data did not change keeps its DOM node (no stale elements
   * for tests, no lost focus); changed items are rebuilt in place. `box` children with data-k are
   * managed; others (caption, thead) stay first. Each build() returns one element (a <tr>, or a
   * <tbody> when an item has a detail row).
   */
  function morph(a, b) {
    for (const { name } of Array.from(a.attributes)) if (!b.hasAttribute(name)) a.removeAttribute(name);
    for (const { name, value } of Array.from(b.attributes)) if (a.getAttribute(name) !== value) a.setAttribute(name, value);
    a.__click = b.__click;
    a.__submit = b.__submit;
    const ac = Array.from(a.childNodes);
    const bc = Array.from(b.childNodes);
    bc.forEach((y, i) => {
      const x = ac[i];
      if (!x) a.append(y);
      else if (x.nodeName !== y.nodeName) a.replaceChild(y, x);
      else if (x.nodeType === 3) { if (x.data !== y.data) x.data = y.data; }
      else if (x.nodeType === 1) morph(x, y);
    });
    for (const x of ac.slice(bc.length)) x.remove();
  }
  function keyed(box, items, key, sig, build, empty) {
    const old = new Map();
    for (const n of Array.from(box.children)) if (n.dataset.k != null) old.set(n.dataset.k, n);
    const active = document.activeElement;
    const fk = active && box.contains(active) && active.dataset ? active.dataset.fk : null;
    const want = items.map((it) => {
      const k = String(key(it));
      const s = sig(it);
      let n = old.get(k);
      if (!n || n.dataset.s !== s) {
        const fresh = build(it);
        fresh.dataset.k = k;
        fresh.dataset.s = s;
        if (n && n.nodeName === fresh.nodeName) morph(n, fresh); else n = fresh;
      }
      return n;
    });
    if (!items.length) {
      const [tag, cols, text] = empty;
      let n = old.get('__empty');
      if (!n || n.dataset.s !== text) {
        n = tag === 'tr' ? emptyRow(cols, text) : tag === 'tbody' ? h('tbody', null, emptyRow(cols, text)) : h(tag, { class: 'empty card' }, text);
        n.dataset.k = '__empty';
        n.dataset.s = text;
      }
      want.push(n);
    }
    const keep = new Set(want);
    for (const n of old.values()) if (!keep.has(n)) n.remove();
    const statics = Array.from(box.children).filter((n) => n.dataset.k == null);
    let prev = statics.length ? statics[statics.length - 1] : null;
    for (const n of want) {
      const next = prev ? prev.nextSibling : box.firstChild;
      if (next !== n) box.insertBefore(n, next);
      prev = n;
    }
    if (fk && !box.contains(active)) {
      const again = $$('[data-fk]', box).find((x) => x.dataset.fk === fk);
      if (again) again.focus();
    }
  }

  // ---------- request journal rows (Requests view and the customer page) ----------
  const SKIP_CURL = new Set(['host', 'content-length', 'connection', 'x-paystack-mock-client']);
  const shq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
  const urlSafe = (s) => s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g, (c) => encodeURIComponent(c));

  /** The journal masks keys; put the real one back when an integration we know has a key that fits. */
  function unmaskAuth(value, integrationId) {
    const m = /^Bearer\s+((?:sk|pk)_(?:test|live)_)\*+([A-Za-z0-9]*)$/.exec(value || '');
    if (!m) return value;
    const candidates = [integrationById(integrationId), ...S.integrations].filter(Boolean);
    for (const i of candidates) {
      for (const k of Object.values(i.secret_keys || {})) {
        if (k && k.startsWith(m[1]) && k.endsWith(m[2])) return 'Bearer ' + k;
      }
    }
    return value;
  }
  function curlFor(e) {
    const url = location.origin + urlSafe(e.path || '/') + (e.query ? '?' + urlSafe(e.query) : '');
    const lines = [`curl${e.method === 'GET' ? '' : ' -X ' + e.method} ${shq(url)}`];
    for (const [k, v] of Object.entries(e.headers || {})) {
      if (SKIP_CURL.has(k)) continue;
      lines.push(`-H ${shq(`${k}: ${k === 'authorization' ? unmaskAuth(v, e.integration) : v}`)}`);
    }
    if (e.body) lines.push(`--data-raw ${shq(e.body)}`);
    return lines.join(' \\\n  ');
  }
  const fromDashboard = (e) => (e.headers || {})['x-paystack-mock-client'] === 'dashboard';

  /** One journal entry as a <tbody>: its row and, when open, its detail row. */
  function requestItem(e, open, testid, onToggle) {
    const detailId = `${testid}-detail-${e.id}`;
    const body = h('tbody', { class: 'item' },
      h('tr', { class: 'link-row', dataset: { testid, id: e.id, method: e.method, status: e.status }, onclick: () => onToggle(e.id) },
        h('td', { class: 'nowrap mono' }, h('time', { datetime: e.time, title: e.time }, fmtTime(e.time))),
        h('td', null, h('span', { class: 'method m-' + e.method }, e.method)),
        h('td', { class: 'path' }, e.path, e.query ? h('span', { class: 'q' }, '?' + e.query) : null, fromDashboard(e) ? h('span', { class: 'tag', title: 'Sent by this dashboard' }, 'dashboard') : null),
        h('td', null, statusBadge(e.status)),
        h('td', { class: 'num mono' }, e.duration_ms == null ? '—' : (+e.duration_ms).toFixed(e.duration_ms < 10 ? 2 : 0)),
        h('td', { class: 'num' }, h('button', {
          type: 'button', class: 'btn small', 'aria-expanded': String(open), 'aria-controls': open ? detailId : null,
          dataset: { fk: `${testid}-toggle-${e.id}`, testid: testid.replace('-row', '-expand') }, onclick: () => onToggle(e.id),
        }, open ? 'Hide' : 'Details'))));
    if (open) {
      const hdrs = Object.entries(e.headers || {});
      body.append(h('tr', { class: 'detail', id: detailId },
        h('td', { colspan: 6 },
          h('div', { class: 'detail-grid' },
            h('div', null, h('h4', null, 'Request headers'),
              hdrs.length ? h('dl', { class: 'headers' }, hdrs.map(([k, v]) => h('div', null, h('dt', null, k + ':'), h('dd', null, v)))) : h('p', { class: 'muted' }, 'None')),
            h('div', null, h('h4', null, 'Request body'), jsonView(e.body || '')),
            h('div', { class: 'full' }, h('h4', null, `Response ${e.status}`), jsonView(e.response_body || ''))),
          h('div', { class: 'detail-actions' },
            h('button', { type: 'button', class: 'btn small', dataset: { testid: testid.replace('-row', '-curl'), fk: `${testid}-curl-${e.id}` }, onclick: () => copy(curlFor(e), 'curl command') }, icon(COPY_ICON), 'Copy as curl'),
            e.integration != null ? h('span', { class: 'muted small' }, `integration ${e.integration}`) : null))));
    }
    return body;
  }
  function renderRequests(table, list, expanded, testid, rerender, emptyText) {
    const toggle = (id) => {
      if (expanded.has(id)) expanded.delete(id); else expanded.add(id);
      rerender();
    };
    keyed(table, list, (e) => e.id, (e) => (expanded.has(e.id) ? 'open' : 'closed'), (e) => requestItem(e, expanded.has(e.id), testid, toggle), ['tbody', 6, emptyText]);
  }
  const mentions = (e, terms) => {
    const hay = [e.path, e.query, e.body, e.response_body].join('\n').toLowerCase();
    return terms.some((t) => t && (hay.includes(t.toLowerCase()) || hay.includes(encodeURIComponent(t).toLowerCase())));
  };

  // ---------- views ----------
  const views = {};

  // Overview
  views.overview = {
    title: 'Overview',
    load: serial(async () => {
      try {
        const [health] = await Promise.all([api('/_sandbox/health'), loadIntegrations()]);
        S.health = health.data || {};
        S.healthAt = Date.now();
        views.overview.render();
      } catch (e) { fail(e); }
    }),
    enter() { return this.load(); },
    refresh() { return this.load(); },
    baseUrls() {
      const b = S.health && Array.isArray(S.health.base_urls) && S.health.base_urls.length ? S.health.base_urls : [location.origin];
      return b.map((u) => String(u).replace(/\/+$/, ''));
    },
    uptime() { return S.health ? (S.health.uptime_seconds || 0) + (Date.now() - S.healthAt) / 1000 : 0; },
    render() {
      const hd = S.health || {};
      const stat = (label, value, id) => h('div', { class: 'stat' }, h('dt', null, label), h('dd', { id }, value));
      renderInto($('#stats'), JSON.stringify([hd.version, hd.integrations, hd.customers]), () => [stat('Version', hd.version || '—'), stat('Uptime', fmtDuration(this.uptime()), 'stat-uptime'),
        stat('Integrations', hd.integrations ?? S.integrations.length), stat('Customers', hd.customers ?? '—')]);
      $('#foot-version').textContent = hd.version ? `paystack-mock ${hd.version}` : '';

      const urls = this.baseUrls();
      renderInto($('#base-urls'), JSON.stringify(urls), () => urls.map((u, n) =>
        h('li', null, h('code', { 'data-testid': 'base-url' }, u), copyButton(u, 'Base URL', 'base-' + n))));

      const i = currentIntegration() || S.integrations[0];
      const key = keyOf(i, 'test') || keyOf(i, 'live') || 'sk_test_…';
      const http = urls.find((u) => u.startsWith('http:')) || urls[0];
      const https = urls.find((u) => u.startsWith('https:'));
      const dropIn = https
        ? `# The HTTPS drop-in (${https}) answers as api.paystack.co:\n# resolve api.paystack.co to 127.0.0.1 and trust the mock's CA,\n# then run your app unchanged.`
        : `# Set the SDK's base URL (or patch its API host) to ${http}`;
      const snippets = [
        ['Python · pypaystack2', `from pypaystack2.sub_clients import CustomerClient\nclient = CustomerClient(secret_key="${key}")\nclient._BASE_URL = "${http}"`],
        ['Node', `// set your client's host / baseURL:\nconst BASE = "${http}"; // was https://api.paystack.co\n${https ? '// or keep the URL and use the HTTPS drop-in:\n// NODE_EXTRA_CA_CERTS=mock-ca.pem node app.js' : ''}`.trim()],
        ['curl', `curl "${http}/customer?perPage=5" \\\n  -H "Authorization: Bearer ${key}"`],
        ['PHP · Ruby · Go · .NET', dropIn],
      ];
      this.snippets = snippets;
      const tab = this.tab || 0;
      renderInto($('#snippets'), JSON.stringify([snippets, tab]), () => [
        h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Snippets by language' }, snippets.map(([title], n) =>
          h('button', { type: 'button', role: 'tab', id: 'snip-tab-' + n, 'aria-controls': 'snip-panel-' + n, 'aria-selected': String(n === tab), tabindex: n === tab ? '0' : '-1',
            dataset: { fk: 'snip-tab-' + n, tab: n, testid: 'snippet-tab' }, onclick: () => this.selectTab(n) }, title))),
        ...snippets.map(([title, code], n) => h('div', { class: 'snippet', role: 'tabpanel', id: 'snip-panel-' + n, 'aria-labelledby': 'snip-tab-' + n, hidden: n !== tab },
          h('pre', { class: 'code', 'data-testid': 'snippet' }, code), copyButton(code, `${title} snippet`, 'snip-' + n)))]);

      keyed($('#integrations'), S.integrations, (x) => x.id, (x) => JSON.stringify(x), (x) => this.integrationCard(x), ['p', 0, 'No integrations.']);
    },
    selectTab(n, focus) {
      const count = (this.snippets || []).length;
      this.tab = (n + count) % count;
      this.render();
      if (focus) $('#snip-tab-' + this.tab).focus();
    },
    integrationCard(x) {
      const domains = ['test', 'live'].filter((d) => (x.secret_keys && x.secret_keys[d]) || (x.public_keys && x.public_keys[d]));
      const keyCell = (k, what, fk) => k ? h('div', { class: 'key' }, h('code', { title: k }, k), copyButton(k, what, fk)) : h('span', { class: 'muted' }, '—');
      const counts = x.customers || {};
      return h('article', { class: 'card integration', 'aria-labelledby': `int-${x.id}`, 'data-testid': 'integration-card', 'data-id': x.id },
        h('div', { class: 'integration-head' },
          h('div', null, h('h3', { id: `int-${x.id}` }, x.business_name || 'Integration'),
            h('p', { class: 'meta' }, `ID ${x.id} · webhook: `, x.webhook_url ? h('span', { class: 'mono' }, x.webhook_url) : 'none')),
          x.forbid_allow_risk_action ? h('span', { class: 'badge amber', title: 'forbid_allow_risk_action: set_risk_action allow answers 403' }, 'cannot whitelist') : null),
        h('div', { class: 'table-wrap' }, h('table', { class: 'keys table' },
          h('caption', { class: 'sr-only' }, `Keys of ${x.business_name}`),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Domain'), h('th', { scope: 'col' }, 'Secret key'), h('th', { scope: 'col' }, 'Public key'), h('th', { scope: 'col', class: 'num' }, 'Customers'))),
          h('tbody', null, domains.map((d) => h('tr', null,
            h('th', { scope: 'row' }, d),
            h('td', null, keyCell(x.secret_keys && x.secret_keys[d], `${d} secret key`, `sk-${x.id}-${d}`)),
            h('td', null, keyCell(x.public_keys && x.public_keys[d], `${d} public key`, `pk-${x.id}-${d}`)),
            h('td', { class: 'num' }, x.secret_keys && x.secret_keys[d]
              ? h('a', { href: '#/customers', dataset: { fk: `go-${x.id}-${d}` }, onclick: () => setContext(x.id, d) }, counts[d] != null ? String(counts[d]) : 'View')
              : dash(counts[d]))))))));
    },
    tick() {
      const el = $('#stat-uptime');
      if (el && S.health) el.textContent = fmtDuration(this.uptime());
    },
  };

  // Customers list
  views.customers = {
    title: 'Customers',
    page: 1,
    pageCount: 1,
    q: '',
    filter: 'all',
    seq: 0,
    codes: new Set(),
    enter() {
      $('#customer-search').value = this.q;
      $('#customer-filter').value = this.filter;
      return this.load();
    },
    refresh() { return this.load(); },
    load: serial(async () => {
      const self = views.customers;
      const i = currentIntegration();
      const body = $('#customers-body');
      if (!i) { keyed(body, [], null, null, null, ['tr', 7, 'No integration to show.']); return; }
      const seq = ++self.seq;
      try {
        const res = await api('/_sandbox/customers?' + qs({ integration: i.id, domain: S.domain, q: self.q, filter: self.filter, page: self.page, perPage: 20 }));
        if (seq !== self.seq) return;
        const meta = res.meta || {};
        const list = Array.isArray(res.data) ? res.data : [];
        self.pageCount = Math.max(1, meta.pageCount || 1);
        if (self.page > self.pageCount && (meta.total || 0) > 0) { self.page = self.pageCount; self.load(); return; }
        self.codes = new Set(list.map((c) => c.customer_code));
        self.render(list, meta);
      } catch (e) { fail(e); }
    }),
    render(list, meta) {
      keyed($('#customers-body'), list, (c) => c.customer_code, (c) => JSON.stringify(c), (c) => {
        const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
        const href = '#/customer/' + encodeURIComponent(c.customer_code);
        return h('tr', { class: 'link-row', dataset: { testid: 'customer-row', code: c.customer_code } },
          h('td', null, h('a', { href, dataset: { fk: 'c-' + c.customer_code } }, name || c.email), name ? h('span', { class: 'cell-sub' }, c.email) : null),
          h('td', { class: 'mono' }, c.customer_code),
          h('td', { class: 'nowrap' }, dash(c.phone)),
          h('td', null, riskBadge(c.risk_action)),
          h('td', null, yesNo(c.identified)),
          h('td', { class: 'num' }, String(c.authorization_count ?? 0)),
          h('td', { class: 'nowrap' }, dateCell(c.createdAt)));
      }, ['tr', 7, this.q || this.filter !== 'all' ? 'No customers match.' : 'No customers in this integration and domain yet.']);
      const total = meta.total ?? list.length;
      $('#customers-summary').textContent = `${total} customer${total === 1 ? '' : 's'}${this.q ? ` matching “${this.q}”` : ''} · newest first`;
      $('#customers-page').textContent = `Page ${this.page} of ${this.pageCount}`;
      $('#customers-prev').disabled = this.page <= 1;
      $('#customers-next').disabled = this.page >= this.pageCount;
    },
    onCustomer(ev) {
      if (String(ev.integration) !== String(S.integrationId) || (ev.domain && ev.domain !== S.domain)) return;
      if (this.page === 1 || this.codes.has(ev.customer_code)) this.soon();
    },
    soon: debounce(() => views.customers.load(), 120),
  };

  // One customer
  views.customer = {
    title: 'Customer',
    code: null,
    ctx: null,
    data: null,
    summary: null,
    reqs: new Map(),
    expanded: new Set(),
    hooks: [],
    pendingSince: null,
    enter(code) {
      if (code !== this.code) {
        this.code = code;
        this.ctx = null;
        this.data = null;
        this.summary = null;
        this.reqs = new Map();
        this.expanded = new Set();
        this.hooks = [];
        this.pendingSince = null;
        $('#customer-body').hidden = true;
        $('#customer-missing').hidden = true;
        $('#risk-error').hidden = true;
        for (const n of $$('#cards-body > [data-k], #creq-table > [data-k]')) n.remove();
      }
      $('#view-title').textContent = code;
      document.title = `${code} · paystack-mock`;
      return this.load();
    },
    refresh() { return this.poll(); },
    /** Which integration and domain hold the code: the chosen one first, then the others. */
    async locate() {
      const pairs = [];
      const cur = currentIntegration();
      if (cur) pairs.push([cur, S.domain]);
      for (const i of S.integrations) for (const d of ['test', 'live']) if (!(i === cur && d === S.domain)) pairs.push([i, d]);
      for (const [i, d] of pairs) {
        if (!keyOf(i, d)) continue;
        let res;
        try {
          res = await api('/_sandbox/customers?' + qs({ integration: i.id, domain: d, q: this.code, filter: 'all', page: 1, perPage: 20 }));
        } catch (e) {
          if (e.status === 404 && cur) return { integration: cur, domain: S.domain, summary: null }; // older server
          throw e;
        }
        const hit = (res.data || []).find((c) => c.customer_code === this.code);
        if (hit) return { integration: i, domain: d, summary: hit };
      }
      return null;
    },
    load: serial(async () => {
      const self = views.customer;
      const code = self.code;
      if (!code) return;
      try {
        if (!self.ctx) {
          const ctx = await self.locate();
          if (code !== self.code) return;
          if (!ctx) { self.missing(`No customer ${code} in any integration or domain.`); return; }
          self.ctx = ctx;
          self.summary = ctx.summary;
          if (String(ctx.integration.id) !== String(S.integrationId) || ctx.domain !== S.domain) setContext(ctx.integration.id, ctx.domain);
        }
        self.loadedAt = Date.now();
        const res = await api('/customer/' + encodeURIComponent(code), { key: self.key() });
        if (code !== self.code) return;
        self.data = res.data || {};
        self.render();
        await Promise.all([self.loadHooks(), self.loadRequests()]);
      } catch (e) {
        if (e.status === 404 && code === self.code) self.missing(e.message || 'Customer not found');
        else fail(e);
      }
    }),
    missing(text) {
      this.ctx = null; // look it up again (admin search, no 404s) on the next refresh
      this.data = null;
      $('#customer-body').hidden = true;
      const p = $('#customer-missing');
      p.textContent = text;
      p.hidden = false;
    },
    /** While polling: refetch the customer only when its summary changed. */
    async poll() {
      if (!this.ctx || !this.data) return this.load();
      try {
        const res = await api('/_sandbox/customers?' + qs({ integration: this.ctx.integration.id, domain: this.ctx.domain, q: this.code, filter: 'all', page: 1, perPage: 20 }));
        const hit = (res.data || []).find((c) => c.customer_code === this.code);
        const sig = (c) => c && JSON.stringify([c.updatedAt, c.risk_action, c.identified, c.authorization_count, c.email]);
        if (!hit || sig(hit) !== sig(this.summary)) { this.summary = hit; await this.load(); return; }
        await Promise.all([this.loadHooks(), this.loadRequests()]);
      } catch (e) { fail(e); }
    },
    key() { return this.ctx ? keyOf(integrationById(this.ctx.integration.id) || this.ctx.integration, this.ctx.domain) : undefined; },
    render() {
      const c = this.data;
      const x = this.ctx.integration;
      $('#customer-missing').hidden = true;
      $('#customer-body').hidden = false;
      const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
      $('#c-name').textContent = name || c.email || c.customer_code;
      renderInto($('#c-code-line'), JSON.stringify([c.customer_code, x.id, this.ctx.domain]), () => [
        h('span', { 'data-testid': 'customer-code' }, c.customer_code), ' ', copyButton(c.customer_code, 'Customer code', 'copy-code'),
        h('span', { class: 'muted' }, ` · ${x.business_name} (${x.id}) · ${this.ctx.domain}`)]);
      renderInto($('#c-badges'), JSON.stringify([c.risk_action, c.identified]), () => [riskBadge(c.risk_action), h('span', { class: 'badge ' + (c.identified ? 'green' : '') }, c.identified ? 'identified' : 'not identified')]);
      const rows = [['ID', c.id], ['Code', c.customer_code], ['Email', c.email], ['First name', c.first_name], ['Last name', c.last_name], ['Phone', c.phone],
        ['Integration', c.integration ?? x.id], ['Domain', c.domain || this.ctx.domain], ['Created', c.createdAt && fmtDate(c.createdAt, true) + ' UTC'], ['Updated', c.updatedAt && fmtDate(c.updatedAt, true) + ' UTC']];
      renderInto($('#c-profile'), JSON.stringify(rows), () => rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', { class: k === 'Code' || k === 'ID' ? 'mono' : null }, dash(v))]));
      const meta = $('#c-metadata');
      const fresh = jsonView(c.metadata === undefined ? null : c.metadata);
      meta.replaceChildren(...fresh.childNodes);

      $('#risk-current').textContent = c.risk_action || 'default';
      for (const b of $$('[data-risk]')) b.setAttribute('aria-pressed', String(b.dataset.risk === (c.risk_action || 'default')));
      $('#risk-note').hidden = !x.forbid_allow_risk_action;

      const idState = $('#identified-state');
      idState.textContent = c.identified ? 'yes' : 'no';
      idState.className = 'badge ' + (c.identified ? 'green' : '');
      const ids = Array.isArray(c.identifications) ? c.identifications : [];
      renderInto($('#c-identifications'), JSON.stringify(ids), () => ids.length ? [h('table', { class: 'table attempts' },
        h('caption', { class: 'sr-only' }, 'Identifications'),
        h('thead', null, h('tr', null, ['Country', 'Type', 'Value'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, ids.map((d) => h('tr', null, h('td', null, dash(d.country)), h('td', null, dash(d.type)), h('td', { class: 'mono' }, dash(d.value))))))]
        : [h('p', { class: 'muted small' }, 'No identifications on record.')]);

      const cards = Array.isArray(c.authorizations) ? c.authorizations : [];
      keyed($('#cards-body'), cards, (a) => a.authorization_code, (a) => JSON.stringify(a), (a) => h('tr', { dataset: { testid: 'card-row', code: a.authorization_code } },
        h('td', null, h('span', { class: 'badge blue' }, dash(a.brand)), ' ', h('span', { class: 'mono' }, `•••• ${dash(a.last4)}`), h('span', { class: 'cell-sub mono' }, `BIN ${dash(a.bin)} · ${dash(a.card_type && a.card_type.trim())}`)),
        h('td', { class: 'mono nowrap' }, `${dash(a.exp_month)}/${dash(a.exp_year)}`),
        h('td', null, dash(a.channel)),
        h('td', null, dash(a.bank), a.account_name ? h('span', { class: 'cell-sub' }, a.account_name) : null),
        h('td', null, yesNo(a.reusable)),
        h('td', { class: 'mono' }, a.authorization_code),
        h('td', { class: 'num' }, h('button', { type: 'button', class: 'btn small danger-outline', dataset: { testid: 'card-deactivate', fk: 'deact-' + a.authorization_code }, 'aria-label': `Deactivate card ending ${a.last4}`,
          onclick: (ev, btn) => this.deactivate(btn, a.authorization_code) }, 'Deactivate'))),
        ['tr', 7, 'No saved cards.']);
      $('#cards-remove-all').disabled = !cards.length;
    },
    async loadHooks() {
      try {
        const res = await api('/_sandbox/webhooks');
        this.setHooks((res.data || []).filter((d) => this.concerns(d)));
      } catch (e) { fail(e); }
    },
    concerns(d) { return !!this.code && typeof d.body === 'string' && d.body.includes(this.code); },
    setHooks(list) {
      this.hooks = list.sort((a, b) => b.id - a.id);
      const kyc = this.hooks.find((d) => /^customeridentification\./.test(d.event || ''));
      if (kyc && this.pendingSince != null && kyc.id > this.pendingSince) this.pendingSince = null;
      $('#kyc-pending').hidden = this.pendingSince == null;
      const box = $('#kyc-last');
      if (!kyc) { renderInto(box, 'none', () => []); return; }
      let reason = null;
      try { reason = JSON.parse(kyc.body).data.reason; } catch { /* no reason */ }
      renderInto(box, JSON.stringify([kyc.id, kyc.state, reason]), () => ['Last outcome: ', h('span', { class: 'mono' }, kyc.event), reason ? ` — ${reason}` : '', ' · webhook ', stateBadge(kyc.state), ' ',
        h('a', { href: '#/webhooks' }, 'see deliveries')]);
    },
    async loadRequests() {
      if (S.journalOff) { this.renderRequests('The request journal is off (--journal-size 0).'); return; }
      const terms = [this.code, this.data && this.data.email].filter(Boolean);
      try {
        const results = await Promise.all(terms.map((t) => api('/_sandbox/requests?' + qs({ limit: 100, contains: t }))));
        const merged = new Map();
        for (const r of results) for (const e of r.data || []) if (mentions(e, terms)) merged.set(e.id, e);
        this.reqs = merged;
        this.renderRequests();
      } catch (e) {
        if (e.status === 404) { S.journalOff = true; this.renderRequests(e.message); } else fail(e);
      }
    },
    renderRequests(note) {
      const list = Array.from(this.reqs.values()).sort((a, b) => b.id - a.id).slice(0, 100);
      renderRequests($('#creq-table'), note ? [] : list, this.expanded, 'customer-request-row', () => this.renderRequests(), note || 'No recorded request mentions this customer yet.');
    },
    onCustomer(ev) { if (ev.customer_code === this.code) this.soon(); },
    onWebhook(d) {
      if (!this.concerns(d)) return;
      const rest = this.hooks.filter((x) => x.id !== d.id);
      this.setHooks([d, ...rest]);
      this.soon();
    },
    onRequest(e) {
      if (!this.data || S.journalOff) return;
      if (!mentions(e, [this.code, this.data.email])) return;
      this.reqs.set(e.id, e);
      this.renderRequests();
    },
    /** Reloads for an event, unless a load started after the event arrived (our own action already did). */
    soon() {
      const at = Date.now();
      setTimeout(() => { if (!(this.loadedAt > at)) this.load(); }, 150);
    },
    setRisk(btn, action) {
      $('#risk-error').hidden = true;
      return act(btn, async () => {
        try {
          await api('/customer/set_risk_action', { method: 'POST', key: this.key(), body: { customer: this.code, risk_action: action } });
        } catch (e) {
          const p = $('#risk-error');
          p.textContent = e.message;
          p.hidden = false;
          throw e;
        }
        await this.load();
      }, `Risk action set to ${action}`);
    },
    identify(btn) {
      const account = $('#identify-account').value;
      const body = { country: 'NG', type: 'bank_account', account_number: account, bvn: '222222222221', bank_code: '007',
        first_name: $('#identify-first').value.trim(), last_name: $('#identify-last').value.trim() };
      return act(btn, async () => {
        const known = this.hooks.reduce((m, d) => Math.max(m, d.id), 0);
        const res = await api('/customer/' + encodeURIComponent(this.code) + '/identification', { method: 'POST', key: this.key(), body });
        this.pendingSince = known;
        $('#kyc-pending').hidden = false;
        return res;
      }, (res) => `${res.message || 'Identification requested'}: the outcome arrives in a moment`);
    },
    deactivate(btn, code) {
      return act(btn, async () => {
        await api('/customer/authorization/deactivate', { method: 'POST', key: this.key(), body: { authorization_code: code } });
        await this.load();
      }, `Authorization ${code} deactivated`);
    },
    addCard(btn) {
      return act(btn, async () => {
        const res = await api(`/_sandbox/customers/${encodeURIComponent(this.code)}/authorizations`, { method: 'POST', body: { integration: this.key(), brand: $('#card-brand').value, channel: $('#card-channel').value } });
        await this.load();
        return res;
      }, (res) => `Saved card ${(res.data && res.data.authorization_code) || ''} added`.replace('  ', ' '));
    },
    removeCards(btn) {
      return act(btn, async () => {
        await api(`/_sandbox/customers/${encodeURIComponent(this.code)}/authorizations?` + qs({ integration: this.key() }), { method: 'DELETE' });
        await this.load();
      }, 'All saved cards removed');
    },
  };

  // Webhooks
  views.webhooks = {
    title: 'Webhooks',
    list: [],
    targets: [],
    expanded: new Set(),
    enter() { return this.load(); },
    refresh() { return this.load(); },
    load: serial(async () => {
      const self = views.webhooks;
      try {
        const [w, t] = await Promise.all([api('/_sandbox/webhooks'), api('/_sandbox/webhook')]);
        self.list = Array.isArray(w.data) ? w.data : [];
        self.targets = Array.isArray(t.data) ? t.data : [];
        self.render();
        self.renderTargets();
      } catch (e) { fail(e); }
    }),
    onWebhook(d) {
      const i = this.list.findIndex((x) => x.id === d.id);
      if (i >= 0) this.list[i] = d; else this.list.unshift(d);
      this.list.sort((a, b) => b.id - a.id);
      if (this.list.length > 500) this.list.length = 500;
      if (S.view === 'webhooks') this.render();
    },
    toggle(id) {
      if (this.expanded.has(id)) this.expanded.delete(id); else this.expanded.add(id);
      this.render();
    },
    render() {
      const list = this.list;
      $('#deliveries-count').textContent = list.length ? `${list.length} deliver${list.length === 1 ? 'y' : 'ies'}, newest first` : '';
      keyed($('#webhooks-table'), list, (d) => d.id, (d) => JSON.stringify([d, this.expanded.has(d.id)]), (d) => this.item(d),
        ['tbody', 7, 'No deliveries yet. Identify a customer or send a test event.']);
    },
    item(d) {
      const open = this.expanded.has(d.id);
      const attempts = d.attempts || [];
      const body = h('tbody', { class: 'item' }, h('tr', { dataset: { testid: 'webhook-row', id: d.id, state: d.state, event: d.event } },
        h('td', { class: 'nowrap' }, dateCell(d.createdAt, true)),
        h('td', { class: 'mono' }, d.event),
        h('td', { class: 'nowrap' }, `${d.integration} · ${d.domain}`),
        h('td', { class: 'path' }, d.url || h('span', { class: 'muted' }, 'no URL')),
        h('td', null, stateBadge(d.state)),
        h('td', { class: 'num' }, String(attempts.length)),
        h('td', { class: 'num nowrap' },
          h('button', { type: 'button', class: 'btn small', 'aria-expanded': String(open), 'aria-controls': open ? 'wh-detail-' + d.id : null, dataset: { fk: 'wh-toggle-' + d.id, testid: 'webhook-expand' }, onclick: () => this.toggle(d.id) }, open ? 'Hide' : 'Details'), ' ',
          h('button', { type: 'button', class: 'btn small', dataset: { fk: 'wh-redeliver-' + d.id, testid: 'webhook-redeliver' }, 'aria-label': `Redeliver webhook ${d.id}`,
            onclick: (ev, btn) => act(btn, async () => {
              const res = await api(`/_sandbox/webhooks/${d.id}/redeliver`, { method: 'POST' });
              if (res.data) this.onWebhook(res.data);
              return res;
            }, (res) => res.message || 'Redelivery started') }, 'Redeliver'))));
      if (open) {
        body.append(h('tr', { class: 'detail', id: 'wh-detail-' + d.id }, h('td', { colspan: 7 },
          h('div', { class: 'detail-grid' },
            h('div', { class: 'full' }, h('h4', null, 'Body (exactly as sent)'), jsonView(d.body || '')),
            h('div', { class: 'full' }, h('h4', null, 'x-paystack-signature (HMAC-SHA512 of the body with the secret key)'),
              h('div', { class: 'key' }, h('code', { class: 'path' }, d.signature || '—'), d.signature ? copyButton(d.signature, 'Signature', 'sig-' + d.id) : null)),
            h('div', { class: 'full' }, h('h4', null, 'Attempts'), attempts.length ? h('table', { class: 'table attempts' },
              h('caption', { class: 'sr-only' }, `Attempts of delivery ${d.id}`),
              h('thead', null, h('tr', null, ['Time', 'Status', 'Error', 'Duration ms'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', null, attempts.map((a) => h('tr', null, h('td', { class: 'nowrap' }, dateCell(a.time, true)), h('td', null, statusBadge(a.status)),
                h('td', null, dash(a.error)), h('td', { class: 'num mono' }, a.duration_ms == null ? '—' : String(a.duration_ms))))))
              : h('p', { class: 'muted' }, d.state === 'no_url' ? 'Not sent: no URL was set for this integration.' : 'No attempt yet.'))))));
      }
      return body;
    },
    renderTargets() {
      const box = $('#targets');
      const dirty = $$('input', box).some((el) => el.value !== el.dataset.orig || el === document.activeElement);
      if (dirty) return;
      const byId = new Map(this.targets.map((t) => [String(t.integration), t.url]));
      const ids = S.integrations.length ? S.integrations.map((x) => String(x.id)) : Array.from(byId.keys());
      renderInto(box, JSON.stringify(ids.map((id) => [id, byId.get(id)])), () => ids.map((id) => {
        const x = integrationById(id);
        const url = byId.get(id) || '';
        const input = h('input', { id: 'wh-url-' + id, type: 'url', class: 'grow', value: url, placeholder: 'http://127.0.0.1:9000/webhook', spellcheck: 'false', dataset: { orig: url, testid: 'webhook-url-input', integration: id, fk: 'wh-url-' + id } });
        return h('form', { class: 'target', dataset: { integration: id }, onsubmit: (ev, form) => {
          ev.preventDefault();
          this.saveTarget($('button[type=submit]', form), id, input.value.trim() || null);
        } },
        h('label', { for: 'wh-url-' + id }, x ? `${x.business_name} · ${id}` : id), h('div', { class: 'target-row' }, input,
        h('button', { type: 'submit', class: 'btn', dataset: { testid: 'webhook-url-save', fk: 'wh-save-' + id } }, 'Save'),
        h('button', { type: 'button', class: 'btn link', dataset: { fk: 'wh-def-' + id }, title: 'Back to the seed URL or --webhook-url', onclick: (ev, btn) => this.saveTarget(btn, id, null) }, 'Use default')));
      }));
    },
    saveTarget(btn, id, url) {
      return act(btn, async () => {
        const res = await api('/_sandbox/webhook', { method: 'PUT', body: { integration: Number(id), url } });
        const input = $$('input', $('#targets')).find((el) => el.dataset.integration === String(id));
        if (input) input.value = input.dataset.orig = (res.data && res.data.url) || '';
        const t = this.targets.find((x) => String(x.integration) === String(id));
        if (t) t.url = res.data ? res.data.url : url;
        return res;
      }, (res) => `${res.message || 'Webhook target set'}: ${(res.data && res.data.url) || 'default (none)'}`);
    },
    sendTest(btn) {
      const url = $('#webhook-test-url').value.trim();
      const body = { domain: S.domain };
      if (S.integrationId) body.integration = Number(S.integrationId);
      if (url) body.url = url;
      return act(btn, async () => {
        const res = await api('/_sandbox/webhooks/test', { method: 'POST', body });
        if (res.data) this.onWebhook(res.data);
        return res;
      }, (res) => res.message || 'Test webhook queued');
    },
  };

  // Requests
  views.requests = {
    title: 'Requests',
    entries: [],
    expanded: new Set(),
    enter() { return this.load(); },
    refresh() { return this.load(); },
    filters() {
      const status = $('#rq-status').value.trim();
      return { method: $('#rq-method').value, status: /^\d{3}$/.test(status) ? status : '', text: $('#rq-text').value.trim() };
    },
    matches(e, f = this.filters()) {
      if (f.method && e.method !== f.method) return false;
      if (f.status && String(e.status) !== f.status) return false;
      if (f.text && !mentions(e, [f.text])) return false;
      return true;
    },
    load: serial(async () => {
      const self = views.requests;
      const f = self.filters();
      try {
        const res = await api('/_sandbox/requests?' + qs({ limit: 100, method: f.method, status: f.status, contains: f.text }));
        S.journalOff = false;
        $('#requests-note').hidden = true;
        $('#requests-card').hidden = false;
        const now = self.filters();
        if (JSON.stringify(now) !== JSON.stringify(f)) return; // the filters changed meanwhile: a new load follows
        self.entries = (res.data || []).filter((e) => self.matches(e, f));
        self.render();
      } catch (e) {
        if (e.status === 404) {
          S.journalOff = true;
          const p = $('#requests-note');
          p.textContent = e.message;
          p.hidden = false;
          $('#requests-card').hidden = true;
        } else fail(e);
      }
    }),
    onRequest(e) {
      if (S.view !== 'requests' || !this.matches(e)) return;
      if (this.entries.some((x) => x.id === e.id)) return;
      this.entries.unshift(e);
      this.entries.sort((a, b) => b.id - a.id);
      if (this.entries.length > 200) this.entries.length = 200;
      this.render();
    },
    render() {
      const list = this.entries;
      renderRequests($('#requests-table'), list, this.expanded, 'request-row', () => this.render(),
        'No recorded requests' + (Object.values(this.filters()).some(Boolean) ? ' match these filters.' : ' yet: point an SDK at this server.'));
    },
  };

  // Sandbox
  views.sandbox = {
    title: 'Sandbox',
    clock: null,
    clockAt: 0,
    pendingReset: undefined,
    enter() { return this.load(); },
    refresh() { return this.load(); },
    load: serial(async () => {
      const self = views.sandbox;
      try {
        const [c, f] = await Promise.all([api('/_sandbox/clock'), api('/_sandbox/faults')]);
        self.setClock(c.data);
        self.renderFaults(f.data || []);
      } catch (e) { fail(e); }
    }),
    setClock(d) {
      if (!d) return;
      this.clock = d;
      this.clockAt = Date.now();
      const st = $('#clock-state');
      st.textContent = d.frozen ? 'frozen' : 'running';
      st.className = 'badge ' + (d.frozen ? 'blue' : 'green');
      const fb = $('#clock-freeze');
      fb.textContent = d.frozen ? 'Unfreeze' : 'Freeze';
      fb.setAttribute('aria-pressed', String(!!d.frozen));
      const input = $('#clock-set-input');
      if (!input.value && document.activeElement !== input) input.value = String(d.now || '').slice(0, 19);
      this.tick();
    },
    now() {
      if (!this.clock) return null;
      const t = Date.parse(this.clock.now);
      if (isNaN(t)) return null;
      return this.clock.frozen ? t : t + (Date.now() - this.clockAt);
    },
    tick() {
      const t = this.now();
      if (t == null) return;
      const iso = this.clock.frozen ? this.clock.now : new Date(t).toISOString();
      $('#clock-now').textContent = iso;
      const drift = Math.round((t - Date.now()) / 1000);
      $('#clock-local').textContent = Math.abs(drift) < 2 ? 'In step with this computer.' : `${fmtDuration(Math.abs(drift))} ${drift > 0 ? 'ahead of' : 'behind'} this computer's clock.`;
    },
    postClock(btn, body, what) {
      return act(btn, async () => {
        const res = await api('/_sandbox/clock', { method: 'POST', body });
        this.setClock(res.data);
        return res;
      }, what);
    },
    renderFaults(list) {
      keyed($('#faults-body'), list, (r) => r.id, (r) => JSON.stringify(r), (r) => h('tr', { dataset: { testid: 'fault-row', id: r.id } },
        h('td', { class: 'mono' }, String(r.id)),
        h('td', null, r.method ? h('span', { class: 'method m-' + r.method }, r.method) : h('span', { class: 'muted' }, 'any')),
        h('td', { class: 'path' }, r.path),
        h('td', null, r.status == null ? '—' : statusBadge(r.status)),
        h('td', null, dash(r.message)),
        h('td', { class: 'num mono' }, String(r.delay_ms ?? 0)),
        h('td', { class: 'num mono' }, r.times == null ? '∞' : String(r.times)),
        h('td', { class: 'num mono' }, r.probability == null ? '1' : String(r.probability))),
        ['tr', 8, 'No fault rules: every request gets its normal answer.']);
      $('#faults-clear').disabled = !list.length;
    },
    addFault(btn) {
      const v = (id) => $(id).value.trim();
      const body = {};
      if (v('#fault-method')) body.method = v('#fault-method');
      body.path = v('#fault-path') || '*';
      const nums = [['status', '#fault-status', parseInt], ['delay_ms', '#fault-delay', parseInt], ['times', '#fault-times', parseInt], ['probability', '#fault-probability', parseFloat]];
      for (const [k, id, parse] of nums) {
        if (!v(id)) continue;
        const n = parse(v(id), 10);
        body[k] = Number.isNaN(n) ? v(id) : n;
      }
      if (v('#fault-message')) body.message = v('#fault-message');
      return act(btn, async () => {
        const res = await api('/_sandbox/faults', { method: 'POST', body });
        await this.load();
        return res;
      }, (res) => res.message || 'Fault rule added');
    },
    askReset(target) {
      this.pendingReset = target;
      const x = target == null ? null : integrationById(target);
      $('#reset-question').textContent = target == null
        ? 'Reset the whole sandbox to the seed data? Every customer, card and change made since the start is discarded.'
        : `Reset ${x ? x.business_name : 'integration'} (${target}) to its seed data, in both domains? Its customers and cards made since the start are discarded.`;
      $('#reset-confirm-box').hidden = false;
      $('#reset-cancel').focus();
    },
    cancelReset() {
      this.pendingReset = undefined;
      $('#reset-confirm-box').hidden = true;
    },
    doReset(btn) {
      const target = this.pendingReset;
      if (target === undefined) return undefined;
      return act(btn, async () => {
        const res = await api('/_sandbox/reset', target == null ? { method: 'POST' } : { method: 'POST', body: { integration: Number(target) } });
        this.cancelReset();
        await afterStateChange();
        return res;
      }, (res) => res.message || 'Sandbox reset');
    },
    exportState(btn) {
      return act(btn, async () => {
        const text = await api('/_sandbox/state', { raw: true });
        const blob = new Blob([text], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: 'paystack-mock-state.json', class: 'sr-only', tabindex: '-1' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        return blob.size;
      }, (size) => `State exported: paystack-mock-state.json (${Math.max(1, Math.round(size / 1024))} KB)`);
    },
    importState(input) {
      const file = input.files && input.files[0];
      if (!file) return undefined;
      return act(null, async () => {
        const text = await file.text();
        try {
          return await api('/_sandbox/state', { method: 'PUT', body: text });
        } finally {
          input.value = '';
          await afterStateChange().catch(() => {});
        }
      }, (res) => res.message || 'State replaced');
    },
  };

  async function afterStateChange() {
    await loadIntegrations();
    await refreshVisible();
  }

  // ---------- routing ----------
  const NAV_OF = { customer: 'customers' };
  function parseHash() {
    const m = /^#\/([a-z]+)(?:\/([^?]*))?/.exec(location.hash);
    if (!m) return null;
    let param = '';
    try { param = decodeURIComponent(m[2] || ''); } catch { param = m[2] || ''; }
    return { name: m[1], param };
  }
  function route(fromUser) {
    let r = parseHash();
    if (!r || !views[r.name] || (r.name === 'customer' && !r.param)) {
      history.replaceState(null, '', '#/overview');
      r = { name: 'overview', param: '' };
    }
    S.view = r.name;
    S.param = r.param;
    for (const sec of $$('.view')) sec.hidden = sec.id !== 'view-' + r.name;
    const nav = NAV_OF[r.name] || r.name;
    for (const a of $$('[data-nav]')) {
      if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    const v = views[r.name];
    $('#view-title').textContent = v.title;
    document.title = `${v.title} · paystack-mock`;
    if (fromUser) $('#view-title').focus({ preventScroll: true });
    window.scrollTo(0, 0);
    Promise.resolve(v.enter(r.param)).catch(fail);
  }
  function refreshVisible() {
    const v = views[S.view];
    return v && v.refresh ? Promise.resolve(v.refresh()).catch(fail) : Promise.resolve();
  }

  // ---------- live updates: fetch() + ReadableStream SSE, polling as the fallback ----------
  const live = { on: false, ctrl: null, backoff: 1000, unsupported: false, last: 0, timer: null, connected: false };
  function setLive(on) {
    live.on = on;
    const el = $('#live');
    el.textContent = on ? 'live' : 'polling';
    el.dataset.mode = on ? 'live' : 'polling';
    el.title = on ? 'Receiving server events' : live.unsupported ? 'This server has no event stream: refreshing every 2 s' : 'Event stream unavailable: refreshing every 2 s, retrying the stream';
  }
  function sseParser(onEvent) {
    let buf = '';
    let type = '';
    let data = [];
    return (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (let line of lines) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') {
          if (data.length) onEvent(type || 'message', data.join('\n'));
          type = '';
          data = [];
          continue;
        }
        if (line[0] === ':') continue; // comment (": ping")
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        let value = i < 0 ? '' : line.slice(i + 1);
        if (value[0] === ' ') value = value.slice(1);
        if (field === 'event') type = value;
        else if (field === 'data') data.push(value);
      }
    };
  }
  const handlers = {
    request(e) { views.requests.onRequest(e); if (S.view === 'customer') views.customer.onRequest(e); },
    customer(ev) {
      if (S.view === 'customers') views.customers.onCustomer(ev);
      if (S.view === 'customer') views.customer.onCustomer(ev);
      if (S.view === 'overview' && ev.change !== 'updated') overviewSoon();
    },
    webhook(d) {
      views.webhooks.onWebhook(d);
      if (S.view === 'customer') views.customer.onWebhook(d);
    },
    reset() { afterStateChange().catch(fail); },
    clock(d) { views.sandbox.setClock(d); },
  };
  const overviewSoon = debounce(() => views.overview.load(), 400);
  function dispatch(type, text) {
    let data;
    try { data = JSON.parse(text); } catch { return; }
    const fn = handlers[type];
    if (fn && data && typeof data === 'object') {
      try { fn(data); } catch (e) { toast('Could not apply a live update: ' + e.message, 'error'); }
    }
  }
  async function connect() {
    clearTimeout(live.timer);
    if (!S.booted || live.unsupported) return;
    const ctrl = new AbortController();
    live.ctrl = ctrl;
    try {
      const headers = { Accept: 'text/event-stream' };
      if (token) headers.Authorization = 'Bearer ' + token;
      const res = await fetch('/_sandbox/events', { headers, cache: 'no-store', signal: ctrl.signal });
      if (res.status === 401) { unauthorized(); return; }
      if (res.status === 404 || res.status === 405) { live.unsupported = true; res.body && res.body.cancel().catch(() => {}); }
      else if (res.ok && res.body && (res.headers.get('content-type') || '').includes('text/event-stream')) {
        setLive(true);
        live.backoff = 1000;
        live.last = Date.now();
        if (live.connected) refreshVisible(); // a reconnection: catch up on anything missed meanwhile
        live.connected = true;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const parse = sseParser(dispatch);
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          live.last = Date.now();
          parse(decoder.decode(value, { stream: true }));
        }
      } else if (res.body) res.body.cancel().catch(() => {});
    } catch { /* network error or aborted */ }
    if (live.ctrl !== ctrl) return;
    live.ctrl = null;
    setLive(false);
    if (!S.booted || live.unsupported) return;
    live.timer = setTimeout(connect, live.backoff);
    live.backoff = Math.min(live.backoff * 2, 30000);
  }
  function disconnect() {
    clearTimeout(live.timer);
    const c = live.ctrl;
    live.ctrl = null;
    if (c) c.abort();
    setLive(false);
  }

  // ---------- admin token gate ----------
  function showGate(message) {
    $('#app').hidden = true;
    $('#gate').hidden = false;
    const err = $('#token-error');
    err.textContent = message || '';
    err.hidden = !message;
    $('#admin-token').focus();
  }
  function unauthorized(message) {
    if (S.booted) {
      // The token stopped working: drop it and start again from the form, with nothing shown.
      S.booted = false;
      disconnect();
      session.set(LS.token, null);
      session.set('paystack-mock.gateMessage', message || 'The admin token is no longer accepted.');
      location.reload();
      return;
    }
    if (token) {
      token = null;
      session.set(LS.token, null);
      showGate('That token was not accepted.' + (message ? ' ' + message : ''));
    } else showGate(session.get('paystack-mock.gateMessage'));
    session.set('paystack-mock.gateMessage', null);
  }
  async function submitToken(ev) {
    ev.preventDefault();
    const value = $('#admin-token').value.trim();
    if (!value) { showGate('Enter the admin token.'); return; }
    token = value;
    const btn = $('[data-testid="admin-token-submit"]');
    btn.setAttribute('aria-busy', 'true');
    try {
      const health = await api('/_sandbox/health');
      session.set(LS.token, value);
      $('#admin-token').value = '';
      start(health.data);
    } catch (e) {
      if (e.status !== 401) showGate(e.message);
    } finally { btn.removeAttribute('aria-busy'); }
  }

  // ---------- start ----------
  async function start(health) {
    S.health = health || {};
    S.healthAt = Date.now();
    S.booted = true;
    $('#gate').hidden = true;
    $('#app').hidden = false;
    $('#forget-token').hidden = !token;
    try { await loadIntegrations(); } catch (e) { fail(e); }
    route(false);
    connect();
  }

  function wire() {
    $('#token-form').addEventListener('submit', submitToken);
    document.addEventListener('click', (e) => {
      for (let n = e.target; n && n !== document; n = n.parentNode) {
        if (n.__click) { n.__click(e, n); return; }
      }
    });
    document.addEventListener('submit', (e) => { if (e.target.__submit) e.target.__submit(e, e.target); });
    $('#snippets').addEventListener('keydown', (e) => {
      const t = e.target.closest('[role=tab]');
      const o = views.overview;
      const step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key];
      if (!t || step === undefined) return;
      e.preventDefault();
      const n = Number(t.dataset.tab);
      o.selectTab(step === -Infinity ? 0 : step === Infinity ? o.snippets.length - 1 : n + step, true);
    });
    $('#forget-token').addEventListener('click', () => { session.set(LS.token, null); location.reload(); });
    $('#skip-link').addEventListener('click', (e) => { e.preventDefault(); $('#main').focus(); });
    window.addEventListener('hashchange', () => { if (S.booted) route(true); });

    $('#integration-select').addEventListener('change', (e) => {
      S.integrationId = e.target.value;
      renderContext();
      views.customers.page = 1;
      if (S.view === 'customer') location.hash = '#/customers';
      else if (S.view === 'customers' || S.view === 'overview') refreshVisible();
    });
    $('#domain-select').addEventListener('change', (e) => {
      S.domain = e.target.value;
      renderContext();
      views.customers.page = 1;
      if (S.view === 'customer') location.hash = '#/customers';
      else if (S.view === 'customers' || S.view === 'overview') refreshVisible();
    });

    // Customers
    const c = views.customers;
    const search = debounce(() => {
      const q = $('#customer-search').value.trim();
      if (q === c.q) return;
      c.q = q;
      c.page = 1;
      c.load();
    }, 250);
    for (const ev of ['input', 'change']) $('#customer-search').addEventListener(ev, search);
    $('#customer-tools').addEventListener('submit', (e) => { e.preventDefault(); c.q = $('#customer-search').value.trim(); c.page = 1; c.load(); });
    $('#customer-filter').addEventListener('change', (e) => { c.filter = e.target.value; c.page = 1; c.load(); });
    $('#customers-prev').addEventListener('click', () => { if (c.page > 1) { c.page -= 1; c.load(); } });
    $('#customers-next').addEventListener('click', () => { if (c.page < c.pageCount) { c.page += 1; c.load(); } });
    $('#customers-body').addEventListener('click', (e) => {
      if (e.target.closest('a, button')) return;
      const row = e.target.closest('tr[data-code]');
      if (row) location.hash = '#/customer/' + encodeURIComponent(row.dataset.code);
    });

    // Customer page
    const cu = views.customer;
    for (const b of $$('[data-risk]')) b.addEventListener('click', () => cu.setRisk(b, b.dataset.risk));
    $('#identify-form').addEventListener('submit', (e) => { e.preventDefault(); cu.identify($('[data-testid="identify-submit"]')); });
    $('#card-form').addEventListener('submit', (e) => { e.preventDefault(); cu.addCard($('[data-testid="add-card"]')); });
    $('#cards-remove-all').addEventListener('click', (e) => cu.removeCards(e.currentTarget));

    // Webhooks
    $('#webhook-test-form').addEventListener('submit', (e) => { e.preventDefault(); views.webhooks.sendTest($('[data-testid="webhook-test"]')); });

    // Requests
    const rq = views.requests;
    const reload = debounce(() => rq.load(), 250);
    $('#request-filters').addEventListener('submit', (e) => { e.preventDefault(); rq.load(); });
    $('#rq-method').addEventListener('change', () => rq.load());
    for (const ev of ['input', 'change']) {
      $('#rq-status').addEventListener(ev, reload);
      $('#rq-text').addEventListener(ev, reload);
    }
    $('#requests-clear').addEventListener('click', (e) => act(e.currentTarget, async () => {
      const res = await api('/_sandbox/requests', { method: 'DELETE' });
      rq.entries = [];
      rq.render();
      return res;
    }, (res) => res.message || 'Request journal cleared'));

    // Sandbox
    const sb = views.sandbox;
    $('#clock-freeze').addEventListener('click', (e) => {
      const frozen = !!(sb.clock && sb.clock.frozen);
      sb.postClock(e.currentTarget, { freeze: !frozen }, frozen ? 'Clock running again' : 'Clock frozen');
    });
    $('#clock-set-form').addEventListener('submit', (e) => {
      e.preventDefault();
      let v = $('#clock-set-input').value;
      if (!v) return;
      if (v.length === 16) v += ':00';
      sb.postClock($('[data-testid="clock-set"]'), { now: v.slice(0, 19) + '.000Z' }, `Clock set to ${v.slice(0, 19).replace('T', ' ')} UTC`);
    });
    for (const b of $$('[data-advance]')) {
      b.addEventListener('click', () => {
        const n = parseInt($('#clock-amount').value, 10);
        if (!Number.isInteger(n) || n < 1) { toast('Advance by a whole number from 1', 'error'); return; }
        sb.postClock(b, { advance: n * Number(b.dataset.advance) }, `Clock advanced by ${n} ${b.textContent}`);
      });
    }
    $('#fault-form').addEventListener('submit', (e) => { e.preventDefault(); sb.addFault($('[data-testid="fault-add"]')); });
    $('#faults-clear').addEventListener('click', (e) => act(e.currentTarget, async () => {
      const res = await api('/_sandbox/faults', { method: 'DELETE' });
      await sb.load();
      return res;
    }, (res) => res.message || 'Fault rules cleared'));
    $('#reset-all').addEventListener('click', () => sb.askReset(null));
    $('#reset-one').addEventListener('click', () => sb.askReset($('#reset-integration-select').value));
    $('#reset-cancel').addEventListener('click', () => sb.cancelReset());
    $('#reset-confirm').addEventListener('click', (e) => sb.doReset(e.currentTarget));
    $('#state-export').addEventListener('click', (e) => sb.exportState(e.currentTarget));
    $('#state-import').addEventListener('change', (e) => sb.importState(e.currentTarget));
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      if (!$('#reset-confirm-box').hidden) sb.cancelReset();
      else clearToast();
    });

    // Timers: polling while the stream is down, the ticking clock and uptime, a stalled-stream watchdog.
    setInterval(() => { if (S.booted && !live.on && !document.hidden) refreshVisible(); }, 2000);
    setInterval(() => {
      if (S.view === 'sandbox') views.sandbox.tick();
      if (S.view === 'overview') views.overview.tick();
      if (live.on && live.ctrl && Date.now() - live.last > 45000) live.ctrl.abort();
    }, 1000);
  }

  async function boot() {
    wire();
    setLive(false);
    try {
      const health = await api('/_sandbox/health');
      start(health.data);
    } catch (e) {
      if (e.status === 401) return; // the token form is showing
      $('#gate').hidden = false;
      $('#token-form').replaceChildren(h('h1', null, 'paystack-mock dashboard'),
        h('p', null, e.status === 404 ? 'The /_sandbox/ routes are off on this server (--no-admin), so the dashboard has nothing to show.' : e.message),
        h('button', { type: 'button', class: 'btn primary', onclick: () => location.reload() }, 'Try again'));
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
