// tasque dashboard. Everything shown is built with textContent: job params, headers and errors are user data.
'use strict';

const TOKEN_KEY = 'tasque.token';
const STATES = ['READY', 'DELAYED', 'RUNNING', 'SUCCEEDED', 'DEAD', 'CANCELLED'];
const AT_LABEL = { DELAYED: 'due at', RUNNING: 'lease until', DEAD: 'died at', SUCCEEDED: 'unique until', CANCELLED: 'cancelled at' };
const HISTORY = 60; // chart points kept per queue, one a second
const samples = new Map(); // queue -> [{t, completed, failed, done, fail}]: run totals and runs a second since the last sample
let timer = null;

// ---- DOM helpers (never innerHTML) ----
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}
function main() { return document.getElementById('main'); }
function show(...nodes) { main().replaceChildren(...nodes); }
function link(hash, text) { return el('a', { href: hash }, text); }
function route(...parts) { return '#/' + parts.map(encodeURIComponent).join('/'); }
function when(ms) { return ms ? new Date(ms).toLocaleString() : ''; }
function ago(ms, now) {
  const s = Math.max(0, Math.round(((now || Date.now()) - ms) / 1000));
  return s < 60 ? s + ' s ago' : s < 3600 ? Math.floor(s / 60) + ' min ago' : Math.floor(s / 3600) + ' h ago';
}
function json(v) { return JSON.stringify(v, null, 2); }
function firstLine(s) { return s ? String(s).split('\n')[0] : ''; }
function status(text, bad) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = 'status' + (bad ? ' error' : '');
}

// ---- token and API ----
function token() { return sessionStorage.getItem(TOKEN_KEY); }

function takeTokenFromUrl() {
  const url = new URL(window.location.href);
  const t = url.searchParams.get('token');
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

class Refused extends Error {}

async function api(path, body) {
  const init = { headers: { 'X-Tasque-Token': token() || '' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch('/api/' + path, init);
  const data = await r.json().catch(() => ({ error: 'HTTP ' + r.status }));
  if (r.status === 403) throw new Refused(data.error || 'refused');
  if (!r.ok) throw new Error(data.error || 'HTTP ' + r.status);
  return data;
}

function q(params) {
  return Object.entries(params).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

function showLogin(message) {
  stopTimer();
  document.getElementById('login').hidden = false;
  document.getElementById('logout').hidden = true;
  main().replaceChildren();
  document.getElementById('login-error').textContent = message || '';
}

async function login(t) {
  sessionStorage.setItem(TOKEN_KEY, t);
  try {
    await api('login', {});
    document.getElementById('login').hidden = true;
    document.getElementById('logout').hidden = false;
    render();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(e.message);
  }
}

// ---- router ----
function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }
function every(ms, fn) { stopTimer(); fn(); timer = setInterval(fn, ms); }

async function guarded(fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof Refused) { sessionStorage.removeItem(TOKEN_KEY); showLogin(e.message); return; }
    status(e.message, true);
  }
}

function render() {
  stopTimer();
  if (!token()) { showLogin(); return; }
  document.getElementById('login').hidden = true;
  document.getElementById('logout').hidden = false;
  const parts = (window.location.hash || '#/queues').slice(2).split('/').map(decodeURIComponent);
  const page = parts[0] || 'queues';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.nav === page || (page === 'queue' || page === 'job') && a.dataset.nav === 'queues');
  status('');
  switch (page) {
    case 'queue': return queuePage(parts[1], parts[2] || 'READY');
    case 'job': return jobPage(parts[1], parts[2]);
    case 'dead': return parts[1] ? deadPage(parts[1]) : deadIndex();
    case 'workers': return workersPage();
    case 'schedules': return schedulesPage();
    default: return queuesPage();
  }
}

// ---- queues ----
function chart(points) {
  const w = 240, h = 40;
  const s = svg('svg', { class: 'chart', width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img' });
  s.append(svg('rect', { x: 0, y: 0, width: w, height: h, fill: '#fafbfc' }));
  const rated = points.filter(p => p.done !== null);
  const max = Math.max(1, ...rated.map(p => Math.max(p.done, p.fail)));
  for (const [field, cls] of [['done', 'completed'], ['fail', 'failed']]) {
    // a young page spreads its few points over at least 20 slots, so the line is readable from the first seconds
    const slots = Math.max(rated.length, 20);
    const coords = rated.map((p, i) => {
      const x = ((slots - rated.length + i) * w) / (slots - 1);
      const y = h - 2 - (p[field] / max) * (h - 4);
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    s.append(svg('polyline', { class: cls, points: coords.join(' ') }));
  }
  const title = svg('title', {});
  title.textContent = 'runs a second, most ' + rate(max);
  s.append(title);
  return s;
}

// runs a second with one decimal under 10, whole above
function rate(v) { return v === null || v === undefined ? '-' : v < 10 ? v.toFixed(1) : String(Math.round(v)); }

// the runs a second since the queue's previous sample, or nulls for its first one (or a broker that does not count)
function sample(history, t, c) {
  const prev = history[history.length - 1];
  const p = { t: t, completed: c.completed, failed: c.failed, done: null, fail: null };
  if (prev && c.completed !== null && prev.completed !== null && t > prev.t) {
    const seconds = (t - prev.t) / 1000;
    p.done = Math.max(0, c.completed - prev.completed) / seconds;
    p.fail = Math.max(0, c.failed - prev.failed) / seconds;
  }
  history.push(p);
  while (history.length > HISTORY) history.shift();
  return p;
}

function queuesPage() {
  const body = el('tbody');
  const updated = el('span', { class: 'muted' });
  show(el('h1', {}, 'Queues'),
    el('p', { class: 'legend' }, 'Counts refresh every second; the line shows the runs a second over the last ', String(HISTORY), ' s: ',
      el('span', { class: 'completed' }, 'completed'), ' and ', el('span', { class: 'failed' }, 'failed'), '. ', updated),
    el('table', { id: 'queues' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Queue'), el('th', { class: 'num' }, 'Ready'), el('th', { class: 'num' }, 'Delayed'),
        el('th', { class: 'num' }, 'Running'), el('th', { class: 'num' }, 'Dead'), el('th', { class: 'num' }, 'Completed'),
        el('th', { class: 'num' }, 'Failed'), el('th', { class: 'num' }, 'Done/s'), el('th', {}, 'Throughput'))),
      body));
  every(1000, () => guarded(async () => {
    const s = await api('stats');
    const rows = [];
    for (const c of s.queues) {
      const h = samples.get(c.name) || [];
      samples.set(c.name, h);
      const now = sample(h, s.time, c);
      const cell = (field, text) => el('td', { class: 'num', 'data-queue': c.name, 'data-field': field }, text);
      rows.push(el('tr', { 'data-queue': c.name },
        el('td', {}, link(route('queue', c.name, 'READY'), c.name)),
        cell('ready', String(c.ready)), cell('delayed', String(c.delayed)), cell('running', String(c.running)),
        cell('dead', c.dead ? link(route('dead', c.name), String(c.dead)) : '0'),
        cell('completed', c.completed === null ? '-' : String(c.completed)),
        cell('failed', c.failed === null ? '-' : String(c.failed)),
        cell('rate', rate(now.done)),
        el('td', {}, chart(h))));
    }
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No queue holds a job yet.')));
    body.replaceChildren(...rows);
    updated.textContent = 'Updated ' + new Date(s.time).toLocaleTimeString() + '.';
  }));
}

// ---- one queue's jobs ----
function queuePage(name, state) {
  state = STATES.includes(state) ? state : 'READY';
  const tabs = el('div', { class: 'tabs' }, STATES.map(s =>
    el('a', { href: route('queue', name, s), class: s === state ? 'active' : null, 'data-state': s }, s.toLowerCase())));
  const search = el('input', { type: 'text', id: 'job-search', placeholder: 'job id' });
  const form = el('form', { class: 'toolbar' }, search, el('button', { type: 'submit' }, 'Find job'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (search.value.trim()) window.location.hash = route('job', name, search.value.trim());
  });
  const body = el('tbody');
  show(el('h1', {}, 'Queue ', name), form, tabs,
    el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', { class: 'num' }, 'Attempt'), el('th', {}, 'When'),
        el('th', {}, 'Params'), el('th', {}, 'Last error'))),
      body));
  every(2000, () => guarded(async () => {
    const jobs = await api('jobs?' + q({ queue: name, state: state, limit: 100 }));
    const rows = jobs.map(j => el('tr', { 'data-id': j.id },
      el('td', {}, link(route('job', name, j.id), j.id)),
      el('td', { class: 'num' }, String(j.attempt)),
      el('td', {}, when(j.at)),
      el('td', { class: 'params' }, JSON.stringify(j.params)),
      el('td', {}, firstLine(j.lastError))));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No ' + state.toLowerCase() + ' job.')));
    body.replaceChildren(...rows);
  }));
}

// ---- one job ----
function fields(pairs) {
  return el('dl', { class: 'fields' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, v)]));
}

function headersTable(headers) {
  const entries = Object.entries(headers || {});
  if (!entries.length) return el('p', { class: 'muted' }, 'No headers.');
  return el('table', { id: 'headers' }, el('tbody', {}, entries.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)))));
}

function actionButton(text, cls, fn) {
  const b = el('button', { type: 'button', class: cls });
  b.textContent = text;
  b.addEventListener('click', () => guarded(async () => { b.disabled = true; try { await fn(); } finally { b.disabled = false; } }));
  return b;
}

function jobPage(name, id) {
  const flash = el('p', { class: 'flash', id: 'flash' });
  const box = el('div');
  show(el('h1', {}, 'Job ', id), el('p', {}, link(route('queue', name, 'READY'), '← queue ' + name)), flash, box);
  const load = () => guarded(async () => {
    const r = await api('job?' + q({ queue: name, id: id }));
    if (!r.found) { box.replaceChildren(el('p', { class: 'muted', id: 'not-found' }, 'No job ' + id + ' in queue ' + name + '.')); return; }
    const j = r.job;
    const actions = el('div', { class: 'toolbar' });
    if (['READY', 'DELAYED', 'RUNNING'].includes(j.state)) {
      actions.append(actionButton('Cancel', 'danger', async () => {
        const a = await api('cancel', { queue: name, id: id });
        flash.textContent = a.message; load();
      }));
    }
    if (j.state === 'DEAD') {
      actions.append(actionButton('Retry', '', async () => {
        const a = await api('retry-dead', { queue: name, id: id }); flash.textContent = a.message; load();
      }), actionButton('Delete', 'danger', async () => {
        const a = await api('delete-dead', { queue: name, id: id }); flash.textContent = a.message; load();
      }));
    }
    box.replaceChildren(actions,
      fields([['id', j.id], ['queue', j.name], ['state', j.state], ['attempt', String(j.attempt)],
        [AT_LABEL[j.state] || 'when', when(j.at)]]),
      el('h2', {}, 'Params'), el('pre', { id: 'params' }, json(j.params)),
      el('h2', {}, 'Headers'), headersTable(j.headers),
      el('h2', {}, 'Last error'), j.lastError ? el('pre', { id: 'last-error', class: 'error' }, j.lastError) : el('p', { class: 'muted' }, 'None.'));
  });
  load();
}

// ---- dead letter ----
function deadIndex() {
  const body = el('tbody');
  show(el('h1', {}, 'Dead letter'), el('table', { id: 'dead-queues' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Queue'), el('th', { class: 'num' }, 'Dead'))), body));
  every(2000, () => guarded(async () => {
    const s = await api('stats');
    const rows = s.queues.filter(c => c.dead > 0).map(c =>
      el('tr', {}, el('td', {}, link(route('dead', c.name), c.name)), el('td', { class: 'num' }, String(c.dead))));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 2, class: 'muted' }, 'No dead job in any queue.')));
    body.replaceChildren(...rows);
  }));
}

function confirmTwice(text, cls, fn) {
  let armed = null;
  const b = actionButton(text, cls, async () => {
    if (!armed) {
      b.textContent = 'Click again: ' + text.toLowerCase();
      armed = setTimeout(() => { armed = null; b.textContent = text; }, 4000);
      return;
    }
    clearTimeout(armed); armed = null; b.textContent = text;
    await fn();
  });
  return b;
}

function deadPage(name) {
  const flash = el('p', { class: 'flash', id: 'flash' });
  const body = el('tbody');
  const load = () => guarded(async () => {
    const dead = await api('dead?' + q({ queue: name, limit: 200 }));
    const rows = dead.map(d => el('tr', { 'data-id': d.id },
      el('td', {}, link(route('job', name, d.id), d.id)),
      el('td', { class: 'num' }, String(d.attempts)),
      el('td', {}, when(d.diedAt)),
      el('td', { class: 'params' }, d.params ? JSON.stringify(d.params) : (d.payload || '')),
      el('td', { class: 'error' }, firstLine(d.lastError)),
      el('td', { class: 'actions' },
        actionButton('Retry', 'secondary retry', async () => { const a = await api('retry-dead', { queue: name, id: d.id }); flash.textContent = a.message; load(); }),
        ' ',
        actionButton('Delete', 'danger delete', async () => { const a = await api('delete-dead', { queue: name, id: d.id }); flash.textContent = a.message; load(); }))));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No dead job in ' + name + '.')));
    body.replaceChildren(...rows);
  });
  show(el('h1', {}, 'Dead letter: ', name), flash,
    el('div', { class: 'toolbar' },
      confirmTwice('Retry all', '', async () => { const a = await api('retry-dead-all', { queue: name }); flash.textContent = a.message; load(); }),
      confirmTwice('Delete all', 'danger', async () => { const a = await api('delete-dead-all', { queue: name }); flash.textContent = a.message; load(); }),
      actionButton('Refresh', 'secondary', async () => load())),
    el('table', { id: 'dead' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', { class: 'num' }, 'Runs'), el('th', {}, 'Died'),
        el('th', {}, 'Params'), el('th', {}, 'Last error'), el('th', {}, ''))),
      body));
  load();
}

// ---- workers ----
function workersPage() {
  const body = el('tbody');
  const note = el('p', { class: 'legend' });
  show(el('h1', {}, 'Workers'), note, el('table', { id: 'workers' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Host'), el('th', { class: 'num' }, 'Pid'), el('th', { class: 'num' }, 'Concurrency'),
      el('th', { class: 'num' }, 'Running'), el('th', {}, 'Queues'), el('th', {}, 'Last heartbeat'), el('th', {}, 'Started'),
      el('th', {}, 'Status'))), body));
  every(2000, () => guarded(async () => {
    const r = await api('workers');
    note.textContent = 'Each worker writes its entry every 5 s; one silent for ' + Math.round(r.goneAfterMs / 1000)
      + ' s is shown as gone and dropped from the broker.';
    const rows = r.workers.map(w => el('tr', { 'data-id': w.id },
      el('td', { title: w.id }, w.host), el('td', { class: 'num' }, String(w.pid)),
      el('td', { class: 'num' }, String(w.concurrency)), el('td', { class: 'num' }, String(w.running)),
      el('td', {}, w.queues.join(', ')), el('td', {}, ago(w.heartbeat, r.time)), el('td', {}, when(w.started)),
      el('td', {}, el('span', { class: 'badge ' + (w.gone ? 'gone' : 'live') }, w.gone ? 'gone' : 'live'))));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No worker has registered.')));
    body.replaceChildren(...rows);
  }));
}

// ---- schedules ----
function schedulesPage() {
  const box = el('div');
  show(el('h1', {}, 'Schedules'), box);
  every(5000, () => guarded(async () => {
    const r = await api('schedules');
    if (!r.available) { box.replaceChildren(el('p', { class: 'muted', id: 'schedules-note' }, r.message)); return; }
    const rows = r.schedules.map(s => el('tr', { 'data-id': s.id },
      el('td', {}, s.id), el('td', {}, link(route('queue', s.taskName, 'READY'), s.taskName)), el('td', {}, s.definition),
      el('td', {}, s.misfire), el('td', {}, when(s.nextFire)), el('td', {}, s.lastFire ? when(s.lastFire) : 'never')));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No schedule is stored.')));
    box.replaceChildren(el('table', { id: 'schedules' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Task'), el('th', {}, 'When'), el('th', {}, 'Missed ticks'),
        el('th', {}, 'Next'), el('th', {}, 'Last'))),
      el('tbody', {}, rows)));
  }));
}

// ---- start ----
document.addEventListener('DOMContentLoaded', () => {
  takeTokenFromUrl();
  document.getElementById('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    login(document.getElementById('token').value);
  });
  document.getElementById('logout').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); });
  window.addEventListener('hashchange', render);
  render();
});
