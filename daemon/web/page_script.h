// The page's script, served as /assets/app.js. Plain JavaScript, no build step. Every text from
// a mention goes into the page as a text node (textContent, append of strings): never as markup.
#pragma once

namespace earshot {

inline constexpr const char* kAppJs = R"js('use strict';
(() => {
  const state = {
    session: null, view: 'review',
    mentions: [], sel: -1, cursor: null, filters: null,
    cases: [], caseSel: -1, caseScope: 'mine',
  };
  const $ = (id) => document.getElementById(id);
  const URGENCY = { critical: 0, high: 1, normal: 2, low: 3 };
  const enc = new TextEncoder();
  const dec = new TextDecoder();

  // Builds an element; strings among the children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) e.append(c);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function say(message, isError) {
    const s = $('status');
    s.textContent = message || '';
    s.className = isError ? 'error' : '';
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    const options = { method, headers, credentials: 'same-origin' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = (state.session && state.session.csrf_token) || '';
      headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body || {});
    }
    const res = await fetch(path, options);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401 && path !== '/api/session') showLogin();
    if (!res.ok) {
      const err = new Error((data && data.error) || ('HTTP ' + res.status));
      err.status = res.status;
      throw err;
    }
    return data;
  }

  // ---- session ----
  function showLogin(message) {
    state.session = null;
    $('tabs').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    for (const v of document.querySelectorAll('.view')) v.hidden = true;
    // Nothing of the last user's stays in the page, not even hidden: the next may have another role.
    state.mentions = []; state.sel = -1; state.cases = []; state.caseSel = -1;
    for (const id of ['mention-list', 'mention-detail', 'case-list', 'case-detail']) clear($(id));
    $('case-detail').removeAttribute('data-case-id');
    $('case-detail').removeAttribute('data-state');
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('login-token').focus();
  }

  async function start() {
    try {
      state.session = await api('GET', '/api/session');
    } catch (e) {
      showLogin(location.hash === '#login-failed' ? 'That token is not valid.' : '');
      return;
    }
    $('login').hidden = true;
    $('tabs').hidden = false;
    $('logout').hidden = state.session.auth !== 'cookie';
    $('who').textContent = state.session.name + ' (' + state.session.role + ')';
    show(state.view);
  }

  async function login(ev) {
    ev.preventDefault();
    const token = $('login-token').value;
    try {
      const res = await fetch('/login', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      const data = await res.json().catch(() => null);
      if (!res.ok) {
        $('login-error').textContent = (data && data.error) || ('HTTP ' + res.status);
        return;
      }
      $('login-token').value = '';
      if (location.hash) history.replaceState(null, '', '/');
      await start();
    } catch (e) {
      $('login-error').textContent = String(e.message || e);
    }
  }

  async function logout() {
    try { await api('POST', '/logout'); } catch (e) { /* the session may be gone already */ }
    showLogin('Logged out.');
  }

  function show(view) {
    state.view = view;
    for (const b of document.querySelectorAll('#tabs button')) {
      if (b.dataset.view === view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
    for (const name of ['review', 'cases', 'overview']) $('view-' + name).hidden = name !== view;
    say('');
    if (view === 'review') loadMentions(true);
    if (view === 'cases') loadCases();
    if (view === 'overview') loadOverview();
  }

  // ---- mentions ----
  // The text with every evidence span of `field` in <mark>, built from text nodes. Spans are
  // byte offsets into the UTF-8 text.
  function highlighted(text, labels, field) {
    const bytes = enc.encode(text || '');
    const spans = [];
    for (const l of labels || []) {
      for (const e of l.evidence || []) {
        if ((e.field || '') === field && e.begin < e.end && e.end <= bytes.length) spans.push([e.begin, e.end]);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (let i = 0; i < spans.length;) {
      let [b, e] = spans[i++];
      while (i < spans.length && spans[i][0] <= e) e = Math.max(e, spans[i++][1]);
      if (b < pos) continue;
      frag.append(dec.decode(bytes.subarray(pos, b)));
      frag.append(el('mark', { text: dec.decode(bytes.subarray(b, e)) }));
      pos = e;
    }
    frag.append(dec.decode(bytes.subarray(pos)));
    return frag;
  }

  function urgencyOf(row) {
    for (const l of row.labels || []) if (l.kind === 'urgency' && l.name in URGENCY) return URGENCY[l.name];
    return 4;
  }

  function authorOf(m) {
    return (m.author && (m.author.handle || m.author.name || m.author.id)) || '';
  }

  function mentionCard(row, selectable) {
    const m = row.mention || {};
    const last = (row.reviews || [])[(row.reviews || []).length - 1];
    const card = el('article', {
      class: 'mention' + (row.flagged ? ' flagged' : '') + (last ? ' reviewed' : ''),
      tabindex: selectable ? '-1' : null, 'data-mention-id': row.id,
    });
    const head = el('header', null,
      el('span', { class: 'source', text: m.source || '' }),
      el('span', { class: 'author', text: authorOf(m) }),
      el('time', { text: m.created_at || row.stored_at || '' }));
    if (m.url && /^https?:\/\//i.test(m.url)) {
      head.append(el('a', { href: m.url, rel: 'noopener noreferrer', target: '_blank', text: 'original' }));
    }
    card.append(head);
    if (m.title) card.append(el('h3', null, highlighted(m.title, row.labels, 'title')));
    card.append(el('p', { class: 'text' }, highlighted(m.text, row.labels, '')));
    const labels = el('ul', { class: 'labels' });
    for (const l of row.labels || []) {
      labels.append(el('li', { class: 'label ' + l.kind, text: l.kind === 'pattern' ? l.name : l.kind + ': ' + l.name }));
    }
    card.append(labels);
    if (row.flag_reason) card.append(el('p', { class: 'reason', text: 'flagged: ' + row.flag_reason }));
    if (last) {
      card.append(el('p', {
        class: 'verdict ' + last.verdict,
        text: 'reviewed: ' + last.verdict.replace('_', ' ') + ' by ' + last.reviewer +
          (last.corrected_label ? ' (should be ' + last.corrected_label + ')' : '') +
          (last.note ? ': ' + last.note : ''),
      }));
    }
    return card;
  }

  function readFilters() {
    const f = new FormData($('review-filters'));
    return {
      scope: f.get('scope'), order: f.get('order'), intent: f.get('intent').trim(),
      lang: f.get('lang').trim(), source: f.get('source').trim(), q: f.get('q').trim(),
    };
  }

  async function loadMentions(reset) {
    if (reset) { state.mentions = []; state.cursor = null; state.sel = -1; state.filters = readFilters(); }
    const f = state.filters;
    const p = new URLSearchParams({ limit: '50' });
    if (f.scope !== 'all') p.set('flagged', 'true');
    if (f.scope === 'unreviewed') p.set('unreviewed', 'true');
    for (const k of ['intent', 'lang', 'source', 'q']) if (f[k]) p.set(k, f[k]);
    if (state.cursor) p.set('cursor', String(state.cursor));
    try {
      const data = await api('GET', '/api/mentions?' + p.toString());
      state.mentions = state.mentions.concat(data.mentions);
      state.cursor = data.next_cursor;
      if (f.order === 'urgent') {
        state.mentions.sort((a, b) => urgencyOf(a) - urgencyOf(b) || b.id - a.id);
      }
      if (state.sel < 0 && state.mentions.length) state.sel = 0;
      renderMentions();
    } catch (e) {
      say(e.message, true);
    }
  }

  function renderMentions() {
    const list = $('mention-list');
    clear(list);
    if (!state.mentions.length) list.append(el('p', { text: 'Nothing to review.' }));
    state.mentions.forEach((row, i) => {
      const card = mentionCard(row, true);
      if (i === state.sel) card.classList.add('selected');
      card.addEventListener('click', () => select(i));
      list.append(card);
    });
    $('more-mentions').hidden = !state.cursor;
  }

  function select(i) {
    if (!state.mentions.length) return;
    state.sel = Math.max(0, Math.min(state.mentions.length - 1, i));
    const cards = $('mention-list').querySelectorAll('article.mention');
    cards.forEach((c, j) => c.classList.toggle('selected', j === state.sel));
    const card = cards[state.sel];
    if (card) { card.focus({ preventScroll: true }); card.scrollIntoView({ block: 'nearest' }); }
  }

  async function openMention() {
    const row = state.mentions[state.sel];
    if (!row) return;
    const box = $('mention-detail');
    clear(box);
    try {
      const data = await api('GET', '/api/mentions/' + row.id);
      box.append(el('h2', { text: 'Mention ' + row.id }), mentionCard(data.mention, false));
      if (data.mention.reviews.length) {
        const ol = el('ol', { class: 'events' });
        for (const r of data.mention.reviews) {
          ol.append(el('li', { text: r.at + ' ' + r.reviewer + ': ' + r.verdict + (r.note ? ' (' + r.note + ')' : '') }));
        }
        box.append(el('h3', { text: 'Reviews' }), ol);
      }
      box.append(el('h3', { text: 'The author\'s other mentions (' + data.author_mentions.length + ')' }));
      for (const other of data.author_mentions) box.append(mentionCard(other, false));
    } catch (e) {
      say(e.message, true);
    }
  }

  async function verdict(v) {
    const row = state.mentions[state.sel];
    if (!row) return;
    if (!state.session.can.review) { say('Your role cannot give verdicts.', true); return; }
    try {
      const data = await api('POST', '/api/mentions/' + row.id + '/review', { verdict: v });
      row.reviews = data.reviews;
      say('Mention ' + row.id + ': ' + v.replace('_', ' ') + '.');
      if (state.filters.scope === 'unreviewed') {
        state.mentions.splice(state.sel, 1);
        if (state.sel >= state.mentions.length) state.sel = state.mentions.length - 1;
        renderMentions();
        select(state.sel);
      } else {
        renderMentions();
        select(state.sel + 1);
      }
    } catch (e) {
      say(e.message, true);
    }
  }

  // ---- cases ----
  function slaText(dueIso, open) {
    if (!dueIso || !open) return { text: '', cls: 'sla' };
    const left = Date.parse(dueIso) - Date.now();
    const abs = Math.abs(left);
    const h = Math.floor(abs / 3600000), m = Math.floor((abs % 3600000) / 60000), s = Math.floor((abs % 60000) / 1000);
    const span = h ? h + 'h ' + String(m).padStart(2, '0') + 'm' : m + 'm ' + String(s).padStart(2, '0') + 's';
    if (left < 0) return { text: 'overdue ' + span, cls: 'sla overdue' };
    return { text: span + ' left', cls: left < 3600000 ? 'sla soon' : 'sla' };
  }

  function tickSla() {
    for (const node of document.querySelectorAll('[data-due]')) {
      const t = slaText(node.dataset.due, node.dataset.open === '1');
      node.textContent = t.text;
      node.className = t.cls;
    }
  }

  async function loadCases() {
    for (const b of document.querySelectorAll('[data-scope]')) {
      b.setAttribute('aria-pressed', b.dataset.scope === state.caseScope ? 'true' : 'false');
    }
    const p = new URLSearchParams({ limit: '200' });
    if (state.caseScope === 'mine') p.set('assignee', 'me');
    if (state.caseScope === 'closed') p.set('state', 'closed');
    try {
      const data = await api('GET', '/api/cases?' + p.toString());
      state.cases = data.cases;
      if (state.caseSel >= state.cases.length) state.caseSel = state.cases.length - 1;
      if (state.caseSel < 0 && state.cases.length) state.caseSel = 0;
      renderCases();
    } catch (e) {
      say(e.message, true);
    }
  }

  function slaCell(c) {
    const node = el('span', { 'data-due': c.sla_due_at || '', 'data-open': c.open ? '1' : '0' });
    const t = slaText(c.sla_due_at, c.open);
    node.textContent = t.text;
    node.className = t.cls;
    return node;
  }

  function renderCases() {
    const body = $('case-list');
    clear(body);
    if (!state.cases.length) {
      body.append(el('tr', null, el('td', { colspan: '6', text: state.caseScope === 'mine' ? 'Nothing in your queue.' : 'No cases.' })));
    }
    state.cases.forEach((c, i) => {
      const tr = el('tr', { class: i === state.caseSel ? 'selected' : null, tabindex: '-1', 'data-case-id': c.id },
        el('td', { text: 'P' + c.priority }),
        el('td', { text: c.author_handle || c.customer_key }),
        el('td', { text: c.state.replace('_', ' ') }),
        el('td', null, slaCell(c)),
        el('td', { text: String(c.mention_count) }),
        el('td', { text: c.assignee || '-' }));
      tr.addEventListener('click', () => { selectCase(i); openCase(); });
      body.append(tr);
    });
  }

  function selectCase(i) {
    if (!state.cases.length) return;
    state.caseSel = Math.max(0, Math.min(state.cases.length - 1, i));
    const rows = $('case-list').querySelectorAll('tr');
    rows.forEach((r, j) => r.classList.toggle('selected', j === state.caseSel));
    const row = rows[state.caseSel];
    if (row) { row.focus({ preventScroll: true }); row.scrollIntoView({ block: 'nearest' }); }
  }

  async function openCase(id) {
    const c = id ? { id } : state.cases[state.caseSel];
    if (!c) return;
    const box = $('case-detail');
    try {
      const data = await api('GET', '/api/cases/' + c.id);
      renderCase(data);
    } catch (e) {
      clear(box);
      say(e.message, true);
    }
  }

  function renderCase(data) {
    const c = data.case;
    const box = $('case-detail');
    clear(box);
    box.dataset.caseId = String(c.id);
    box.dataset.state = c.state;
    box.append(el('h2', { text: 'Case ' + c.id + ': ' + (c.author_handle || c.customer_key) }));
    box.append(el('p', null, 'P' + c.priority + ', ' + c.state.replace('_', ' ') +
      (c.assignee ? ', ' + c.assignee : '') + (c.queue ? ', queue ' + c.queue : '') + '. SLA: ', slaCell(c)));
    if (c.reason) box.append(el('p', { class: 'reason', text: c.reason }));
    if (c.customer) {
      const k = c.customer;
      const contact = el('dl', { class: 'contact', 'data-test': 'customer' });
      const row = (label, value) => { if (value) contact.append(el('dt', { text: label }), el('dd', { text: value })); };
      row('Customer', k.name || ('#' + k.id));
      row('CRM id', k.crm_id);
      row('Phone', k.phone);
      row('E-mail', k.email);
      row('Known as', (k.identities || []).join(', '));
      box.append(contact);
    }
    if (data.suggested_opening) {
      box.append(el('h3', { text: 'Suggested opening' + (c.lang ? ' (' + c.lang + ')' : '') }),
        el('p', { class: 'opening', 'data-test': 'opening', text: data.suggested_opening }));
    }
    if (c.latest_url && /^https?:\/\//i.test(c.latest_url)) {
      box.append(el('p', null, el('a', { href: c.latest_url, rel: 'noopener noreferrer', target: '_blank', text: 'latest mention' })));
    }
    if (state.session.can.work_cases) {
      const note = el('textarea', { id: 'case-note', 'aria-label': 'note or outcome', placeholder: 'note, or how it ended' });
      const act = (verb, extra) => async () => {
        const body = Object.assign({ note: note.value }, extra || {});
        try {
          const updated = await api('POST', '/api/cases/' + c.id + '/' + verb, body);
          say('Case ' + c.id + ': ' + verb + (extra && extra.outcome ? ' (' + extra.outcome.replace('_', ' ') + ')' : '') + '.');
          renderCase(updated);
          loadCases();
        } catch (e) {
          say(e.message, true);
        }
      };
      const actions = el('div', { class: 'actions' });
      if (c.open) {
        actions.append(
          el('button', { type: 'button', onclick: act('claim'), text: 'Claim', 'data-action': 'claim' }),
          el('button', { type: 'button', onclick: act('contacted'), text: 'Contacted', 'data-action': 'contacted' }),
          el('button', { type: 'button', onclick: act('resolve', { outcome: 'resolved' }), text: 'Resolved', 'data-action': 'resolved' }),
          el('button', { type: 'button', onclick: act('resolve', { outcome: 'no_response' }), text: 'No answer', 'data-action': 'no_response' }),
          el('button', { type: 'button', onclick: act('resolve', { outcome: 'declined' }), text: 'Declined', 'data-action': 'declined' }));
      }
      actions.append(el('button', { type: 'button', onclick: act('note'), text: 'Add note', 'data-action': 'note' }));
      box.append(note, actions);
    }
    const events = el('ol', { class: 'events' });
    for (const e of data.events) {
      events.append(el('li', { text: e.at + ' ' + e.actor + ' ' + e.action + (e.detail ? ': ' + e.detail : '') }));
    }
    box.append(el('h3', { text: 'History' }), events);
    box.append(el('h3', { text: 'The customer\'s mentions' }));
    for (const m of data.mentions) box.append(mentionCard(m, false));
  }

  // ---- overview ----
  function tile(label, value) { return el('div', { class: 'tile' }, el('b', { text: value }), label); }

  function duration(ms) {
    if (ms === null || ms === undefined) return '-';
    const min = Math.round(ms / 60000);
    return min < 60 ? min + ' min' : (min / 60).toFixed(1) + ' h';
  }

  // Bars: mentions per day; red line: the negative share (0..100% on the same height).
  function chart(source, days, rows) {
    const W = 720, H = 160, L = 36, B = 22, T = 8;
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const max = Math.max(1, ...rows.map((r) => r.mentions));
    const step = (W - L - 8) / days.length;
    const y = (v) => H - B - (H - B - T) * v;
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': source + ': ' + rows.reduce((s, r) => s + r.mentions, 0) + ' mentions in ' + days.length + ' days' });
    g.append(svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - 4, y2: H - B }));
    g.append(svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    g.append(svg('text', { x: 2, y: T + 8 }, String(max)));
    g.append(svg('text', { x: 2, y: H - B }, '0'));
    const points = [];
    days.forEach((day, i) => {
      const r = byDay.get(day);
      const x = L + i * step;
      if (r) {
        const bar = svg('rect', { class: 'bar', x: x + 1, y: y(r.mentions / max), width: Math.max(1, step - 2), height: (H - B - T) * (r.mentions / max) });
        bar.append(svg('title', {}, day + ': ' + r.mentions + ' mentions, ' + Math.round(r.negative_share * 100) + '% negative'));
        g.append(bar);
        points.push((x + step / 2).toFixed(1) + ',' + y(r.negative_share).toFixed(1));
      }
      if (i % 7 === 0) g.append(svg('text', { x: x, y: H - 6 }, day.slice(5)));
    });
    if (points.length > 1) g.append(svg('polyline', { class: 'neg', points: points.join(' ') }));
    return el('div', { class: 'chart' }, el('h3', { text: source }), g);
  }

  function table(cls, headers, rows) {
    const t = el('table', { class: cls });
    t.append(el('thead', null, el('tr', null, ...headers.map((h) => el('th', { text: h })))));
    const body = el('tbody');
    for (const r of rows) body.append(r);
    t.append(body);
    return t;
  }

  async function loadOverview() {
    try {
      const [stats, sources] = await Promise.all([api('GET', '/api/stats'), api('GET', '/api/sources')]);
      const summary = $('overview-summary');
      clear(summary);
      summary.append(
        tile('open cases', String(stats.open_cases_total)),
        tile('past their SLA', String(stats.sla_breaches)),
        tile('contacted within SLA (30 days)', stats.sla_compliance === null ? '-' : Math.round(stats.sla_compliance * 100) + '%'),
        tile('median time to first contact', duration(stats.median_first_contact_ms)));
      for (const [st, n] of Object.entries(stats.open_cases)) summary.append(tile(st.replace('_', ' '), String(n)));

      const days = [];
      const start = Date.parse(stats.since);
      for (let t = start; t <= Date.parse(stats.now); t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
      const bySource = new Map();
      for (const d of stats.daily) {
        if (!bySource.has(d.source)) bySource.set(d.source, []);
        bySource.get(d.source).push(d);
      }
      const charts = $('overview-charts');
      clear(charts);
      if (!bySource.size) charts.append(el('p', { text: 'No mentions in the last 30 days.' }));
      for (const [source, rows] of bySource) charts.append(chart(source, days, rows));

      const src = $('overview-sources');
      clear(src);
      src.append(table('sources', ['source', 'kind', 'mentions', 'last success', 'failures', 'last error'],
        sources.sources.map((s) => el('tr', { class: s.consecutive_failures ? 'failing' : null },
          el('td', { text: s.name }), el('td', { text: s.kind }), el('td', { text: String(s.mentions) }),
          el('td', { text: s.last_success_at || 'never' }), el('td', { text: String(s.consecutive_failures) }),
          el('td', { text: s.last_error })))));

      const prec = $('overview-precision');
      clear(prec);
      if (!stats.review_precision.length) prec.append(el('p', { text: 'No reviews yet.' }));
      else prec.append(table('precision', ['label', 'confirmed', 'false positive', 'not relevant', 'precision'],
        stats.review_precision.map((p) => el('tr', null,
          el('td', { text: p.kind + ': ' + p.name }), el('td', { text: String(p.confirmed) }),
          el('td', { text: String(p.false_positive) }), el('td', { text: String(p.not_relevant) }),
          el('td', { text: p.precision === null ? '-' : Math.round(p.precision * 100) + '%' })))));
    } catch (e) {
      say(e.message, true);
    }
  }

  // ---- keyboard ----
  function onKey(ev) {
    if (!state.session || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
    if (typing) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    const k = ev.key;
    if (k === '1') return show('review');
    if (k === '2') return show('cases');
    if (k === '3') return show('overview');
    if (state.view === 'review') {
      if (k === 'j') select(state.sel + 1);
      else if (k === 'k') select(state.sel - 1);
      else if (k === 'c') verdict('confirmed');
      else if (k === 'f') verdict('false_positive');
      else if (k === 'n') verdict('not_relevant');
      else if (k === 'o' || (k === 'Enter' && t.tagName === 'ARTICLE')) openMention();
      else if (k === '/') { ev.preventDefault(); $('review-search').focus(); return; }
      else return;
      ev.preventDefault();
    } else if (state.view === 'cases') {
      if (k === 'j') selectCase(state.caseSel + 1);
      else if (k === 'k') selectCase(state.caseSel - 1);
      else if (k === 'o' || (k === 'Enter' && t.tagName === 'TR')) openCase();
      else if (k === 'm') { state.caseScope = 'mine'; loadCases(); }
      else if (k === 't') { state.caseScope = 'team'; loadCases(); }
      else return;
      ev.preventDefault();
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => show(b.dataset.view));
    $('review-filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadMentions(true); });
    for (const s of document.querySelectorAll('#review-filters select')) s.addEventListener('change', () => loadMentions(true));
    $('more-mentions').addEventListener('click', () => loadMentions(false));
    for (const b of document.querySelectorAll('[data-scope]')) {
      b.addEventListener('click', () => { state.caseScope = b.dataset.scope; state.caseSel = -1; loadCases(); });
    }
    document.addEventListener('keydown', onKey);
    setInterval(tickSla, 1000);
    start();
  });
})();
)js";

}  // namespace earshot
