// TranscriptLint HTML report. Everything shown comes from the JSON in #tl-data and reaches the page through
// textContent and element properties only (never parsed as HTML), so a transcript's text can never become markup.
(function () {
  'use strict';
  var errorBox = document.getElementById('tl-errors');
  function fail(text) {
    errorBox.hidden = false;
    var p = document.createElement('p');
    p.textContent = 'Report script error: ' + text;
    errorBox.appendChild(p);
    document.body.setAttribute('data-report-errors', String(errorBox.childNodes.length));
  }
  window.addEventListener('error', function (e) { fail(String(e.message) + ' (' + e.lineno + ':' + e.colno + ')'); });

  var PAGE = 100;       // messages (or off-chain entries) per page
  var FOLD = 1200;      // characters of a text shown before "show all"
  var started = performance.now();
  var data = JSON.parse(document.getElementById('tl-data').textContent);
  var app = document.getElementById('app');
  var state = { file: 0, page: 0, offPage: 0, query: '', sev: { error: true, warning: true, note: true }, target: -1 };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function plural(n, word) { return num(n) + ' ' + word + (n === 1 ? '' : 's'); }
  function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
  function link(text, onClick) {
    var a = el('a', null, text);
    a.href = '#';
    a.addEventListener('click', function (ev) { ev.preventDefault(); onClick(); });
    return a;
  }
  function matches(text) { return state.query === '' || String(text).toLowerCase().indexOf(state.query) >= 0; }
  function findingMatches(f, file) {
    return state.sev[f.severity] !== false && (state.query === '' || matches(f.id + ' ' + f.name + ' ' + f.message + ' ' + file.path));
  }

  // A long text: the first FOLD characters, a button for the rest, and a note when the report itself cut it.
  function textBlock(text, omitted, cls) {
    var wrap = el('div');
    var pre = add(wrap, el('pre', cls || null));
    text = text || '';
    if (text.length > FOLD) {
      pre.textContent = text.slice(0, FOLD) + ' …';
      var more = add(wrap, el('button', null, 'show all ' + num(text.length) + ' characters'));
      more.addEventListener('click', function () { pre.textContent = text; more.remove(); });
    } else {
      pre.textContent = text;
    }
    if (omitted > 0) {
      add(wrap, el('div', 'cut', '… ' + num(omitted) + ' more characters are in the transcript but not in this report'));
    }
    return wrap;
  }

  function findingCard(f, file) {
    var card = el('div', 'finding sev-' + f.severity);
    card.setAttribute('data-rule', f.id);
    var head = add(card, el('div'));
    add(head, el('span', 'sev', f.severity));
    var help = safeUrl(f.help);
    var rule;
    if (help) {
      rule = el('a', 'rule', f.id);
      rule.href = help;
      rule.target = '_blank';
      rule.rel = 'noopener noreferrer';
    } else {
      rule = el('span', 'rule', f.id);
    }
    add(head, rule);
    add(head, el('span', 'muted', f.name));
    add(card, el('div', 'msgtext', f.message));
    var loc = 'line ' + f.line + ', column ' + f.column + (f.pointer ? ' · ' + f.pointer : '') + (f.uuid ? ' · uuid ' + f.uuid : '');
    add(card, el('div', 'loc', loc));
    f.fixes.forEach(function (fix) {
      var box = add(card, el('div', 'fix'));
      add(box, el('div', null, 'Fix (' + fix.applicability + (fix.applicability === 'safe' ? ', applied by transcriptlint fix' : ', applied with transcriptlint fix --unsafe-fixes') + '): ' + fix.title));
      if (fix.problem) { add(box, el('div', 'cut', 'cannot be applied to this file: ' + fix.problem)); }
      fix.edits.forEach(function (e) {
        add(box, el('div', 'loc', 'line ' + e.line));
        var grid = add(box, el('div', 'edit'));
        var before = add(grid, el('div'));
        add(before, el('div', 'loc', 'before'));
        add(before, textBlock(e.before === null ? '(not available: the file changed since it was linted)' : e.before === '' ? '(nothing: an insertion)' : e.before, e.beforeOmitted, 'before'));
        var after = add(grid, el('div'));
        add(after, el('div', 'loc', 'after'));
        add(after, textBlock(e.after === '' ? '(nothing: removed)' : e.after, e.afterOmitted, 'after'));
      });
    });
    return card;
  }

  function renderHeader() {
    var top = add(app, el('header', 'top'));
    add(top, el('h1', null, 'TranscriptLint report'));
    var t = data.totals;
    add(top, el('span', null, plural(t.findings, 'finding') + ' (' + plural(t.errors, 'error') + ', ' + plural(t.warnings, 'warning') + ', ' + plural(t.notes, 'note') + ') in ' + num(t.filesWithFindings) + ' of ' + plural(t.files, 'file')));
    var search = add(top, el('input'));
    search.type = 'search';
    search.id = 'tl-search';
    search.placeholder = 'Search findings and messages (rule id, text, tool name…)';
    search.setAttribute('aria-label', 'Search');
    var timer = 0;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.query = search.value.trim().toLowerCase(); state.page = 0; state.offPage = 0; renderBody(); }, 200);
    });
    ['error', 'warning', 'note'].forEach(function (s) {
      var label = add(top, el('label'));
      var box = add(label, el('input'));
      box.type = 'checkbox';
      box.checked = true;
      box.addEventListener('change', function () { state.sev[s] = box.checked; renderBody(); });
      add(label, document.createTextNode(' ' + s + 's'));
    });
    if (data.secretsMasked && data.rules.some(function (r) { return r.id === 'TL5001'; })) { add(top, el('span', 'badge', 'secrets found by TL5001 are hidden')); }
    add(top, el('span', 'muted', 'transcriptlint ' + (data.version || '')));
  }

  var body;
  function renderBody() {
    var old = body;
    body = el('main');
    if (old) { app.replaceChild(body, old); } else { add(app, body); }
    renderSummary();
    if (data.files.length > 0) { renderFile(data.files[state.file]); }
  }

  function renderSummary() {
    var section = add(body, el('section'));
    section.id = 'summary';
    if (data.notifications.length > 0) {
      var nb = add(section, el('div', 'note-box'));
      data.notifications.forEach(function (n) { add(nb, el('div', null, n.level + ': ' + n.message)); });
    }
    if (data.rules.length > 0) {
      add(section, el('h3', null, 'Findings per rule'));
      var table = add(section, el('table'));
      var hr = add(table, el('tr'));
      ['Rule', 'Name', 'Severity', 'Findings', 'Files'].forEach(function (h, i) { add(hr, el('th', i >= 3 ? 'n' : null, h)); });
      data.rules.forEach(function (r) {
        if (!matches(r.id + ' ' + r.name + ' ' + r.title)) { return; }
        var tr = add(table, el('tr'));
        var td = add(tr, el('td'));
        var help = safeUrl(r.help);
        if (help) { var a = add(td, el('a', null, r.id)); a.href = help; a.target = '_blank'; a.rel = 'noopener noreferrer'; } else { td.textContent = r.id; }
        add(tr, el('td', null, r.name));
        add(tr, el('td', 'c-' + r.severity, r.severity));
        add(tr, el('td', 'n', num(r.count)));
        add(tr, el('td', 'n', num(r.files)));
      });
    }
    if (data.files.length > 1) {
      add(section, el('h3', null, 'Files, worst first'));
      var files = add(section, el('table'));
      var fh = add(files, el('tr'));
      ['File', 'Format', 'Errors', 'Warnings', 'Notes', 'Lines'].forEach(function (h, i) { add(fh, el('th', i >= 2 ? 'n' : null, h)); });
      data.files.forEach(function (f, index) {
        if (state.query !== '' && !matches(f.path) && !f.findings.some(function (x) { return findingMatches(x, f); })) { return; }
        var tr = add(files, el('tr', index === state.file ? 'current' : null));
        var td = add(tr, el('td'));
        add(td, link(f.path, function () { select(index, -1); }));
        add(tr, el('td', null, f.dialect));
        add(tr, el('td', 'n c-error', f.errors ? num(f.errors) : ''));
        add(tr, el('td', 'n c-warning', f.warnings ? num(f.warnings) : ''));
        add(tr, el('td', 'n c-note', f.notes ? num(f.notes) : ''));
        add(tr, el('td', 'n', num(f.lines)));
      });
    }
  }

  // Deep links: #f2 opens the third file (worst first), #f2-m14 its messages.14.
  function readHash() {
    var m = /^#f(\d+)(?:-m(\d+))?$/.exec(location.hash || '');
    if (!m || Number(m[1]) >= data.files.length) { return null; }
    return { file: Number(m[1]), message: m[2] === undefined ? -1 : Number(m[2]) };
  }
  function writeHash(fileIndex, message) {
    try { history.replaceState(null, '', '#f' + fileIndex + (message >= 0 ? '-m' + message : '')); } catch (e) { /* some file:// setups refuse it: links still work */ }
  }

  function select(fileIndex, message) {
    writeHash(fileIndex, message);
    state.file = fileIndex;
    state.page = 0;
    state.offPage = 0;
    state.target = message;
    if (message >= 0) { state.page = Math.floor(message / PAGE); }
    renderBody();
    var target = message >= 0 ? document.getElementById('m-' + message) : document.getElementById('file');
    if (target && target.scrollIntoView) { target.scrollIntoView({ block: 'start' }); }
  }

  function messageText(m) {
    var parts = [m.role];
    m.blocks.forEach(function (b) { parts.push(b.text, b.name || '', b.id || ''); });
    return parts.join('\n');
  }

  function renderFile(file) {
    var section = add(body, el('section'));
    section.id = 'file';
    add(section, el('h2', null, file.path));
    add(section, el('div', 'muted', file.dialect + ' · ' + plural(file.lines, 'line') + ' · ' + num(file.bytes) + ' bytes · sha256 ' + file.sha256));
    if (file.note) { add(section, el('div', 'note-box', file.note)); }
    file.notifications.forEach(function (n) { add(section, el('div', 'note-box', n.level + ': ' + n.message)); });

    var byMessage = {};
    var byOff = {};
    var loose = [];
    file.findings.forEach(function (f) {
      if (state.sev[f.severity] === false) { return; }
      if (f.msg >= 0) { (byMessage[f.msg] = byMessage[f.msg] || []).push(f); } else if (f.off >= 0) { (byOff[f.off] = byOff[f.off] || []).push(f); } else { loose.push(f); }
    });

    // Every finding of the file, each with a link to the message it is pinned to.
    var shown = file.findings.filter(function (f) { return findingMatches(f, file); });
    add(section, el('h3', null, 'Findings (' + num(shown.length) + (shown.length !== file.findings.length ? ' of ' + num(file.findings.length) : '') + ')'));
    var list = add(section, el('div'));
    list.id = 'findings';
    if (file.findings.length === 0) { add(list, el('div', 'muted', 'No findings: a resume of this transcript should be accepted.')); }
    shown.forEach(function (f) {
      var row = add(list, el('div', 'sev-' + f.severity));
      add(row, el('span', 'sev', f.severity));
      add(row, el('b', null, f.id + ' '));
      add(row, el('span', null, f.message + ' '));
      if (f.msg >= 0) {
        add(row, link('messages.' + f.msg + ' (line ' + f.line + ')', function () { select(state.file, f.msg); }));
      } else if (f.off >= 0) {
        add(row, el('span', 'muted', 'line ' + f.line + ' (not sent on resume, listed below)'));
      } else {
        add(row, el('span', 'muted', 'line ' + f.line));
      }
    });
    if (loose.length > 0) {
      add(section, el('h3', null, 'Findings on lines that are not messages'));
      loose.forEach(function (f) { add(section, findingCard(f, file)); });
    }

    if (!file.messages) { return; }
    var indices = [];
    for (var i = 0; i < file.messages.length; i++) {
      if (state.query === '' || matches(messageText(file.messages[i])) || (byMessage[i] && byMessage[i].some(function (f) { return findingMatches(f, file); }))) { indices.push(i); }
    }
    add(section, el('h3', null, 'Resume chain: what a resume sends (' + plural(file.messages.length, 'message') + (state.query ? ', ' + num(indices.length) + ' matching' : '') + ')'));
    var pages = Math.max(1, Math.ceil(indices.length / PAGE));
    if (state.page >= pages) { state.page = pages - 1; }
    var pager = function () {
      var p = el('div', 'pager');
      var prev = add(p, el('button', null, '← previous'));
      prev.disabled = state.page === 0;
      prev.addEventListener('click', function () { state.page--; renderBody(); document.getElementById('chain').scrollIntoView(); });
      add(p, el('span', null, 'page ' + (state.page + 1) + ' of ' + pages));
      var next = add(p, el('button', null, 'next →'));
      next.disabled = state.page >= pages - 1;
      next.addEventListener('click', function () { state.page++; renderBody(); document.getElementById('chain').scrollIntoView(); });
      return p;
    };
    var chain = add(section, el('div'));
    chain.id = 'chain';
    if (pages > 1) { add(chain, pager()); }
    indices.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (index) {
      add(chain, renderMessage(file, file.messages[index], byMessage[index] || []));
    });
    if (pages > 1) { add(chain, pager()); }

    renderOffChain(section, file, byOff);
  }

  function renderMessage(file, m, findings) {
    var cls = 'msg role-' + m.role + (m.synthetic ? ' synthetic' : '') + (findings.length ? ' has-findings' : '') + (state.target === m.i ? ' target' : '');
    var box = el('article', cls);
    box.id = 'm-' + m.i;
    var head = add(box, el('div', 'head'));
    var idx = add(head, el('a', 'idx', 'messages.' + m.i));
    idx.href = '#f' + state.file + '-m' + m.i;
    idx.title = 'link to this message';
    add(head, el('span', 'role', m.role));
    add(head, el('span', 'muted', (m.lines.length > 1 ? 'lines ' : 'line ') + m.lines.join(', ')));
    if (m.model) { add(head, el('span', 'muted', m.model)); }
    if (m.time) { add(head, el('span', 'muted', m.time)); }
    if (m.synthetic) { add(head, el('span', 'badge synthetic', m.synthetic)); }
    if (m.meta) { add(head, el('span', 'badge', 'injected by the harness (isMeta)')); }
    if (m.recovered) { add(head, el('span', 'badge', plural(m.recovered, 'entry') + ' re-attached from a side branch')); }
    if (m.duplicates) { add(head, el('span', 'badge bad', plural(m.duplicates, 'duplicate line'))); }
    findings.forEach(function (f) { add(box, findingCard(f, file)); });
    m.blocks.forEach(function (b) { add(box, renderBlock(file, m, b)); });
    if (m.blocks.length === 0) { add(box, el('div', 'blk muted', '(no content)')); }
    return box;
  }

  function resultOf(file, call) {
    if (call.pair < 0) { return null; }
    var holder = file.messages[call.pair];
    if (!holder) { return null; }
    for (var i = 0; i < holder.blocks.length; i++) {
      var b = holder.blocks[i];
      if (b.id === call.id && (b.k === 'tool-result' || b.k === 'server-tool-result')) { return b; }
    }
    return null;
  }

  function renderBlock(file, m, b) {
    var blk = el('div', 'blk ' + b.k);
    if (b.k === 'text') {
      add(blk, textBlock(b.text, b.textOmitted, 'text'));
    } else if (b.k === 'thinking' || b.k === 'redacted-thinking') {
      var d = add(blk, el('details'));
      add(d, el('summary', null, (b.k === 'thinking' ? 'thinking' : 'redacted thinking') + ' (' + num((b.text || '').length + (b.textOmitted || 0)) + ' characters, line ' + b.line + ')'));
      add(d, textBlock(b.text, b.textOmitted));
    } else if (b.k === 'tool-call' || b.k === 'server-tool-call') {
      var label = add(blk, el('div', 'label', (b.k === 'server-tool-call' ? 'server tool call ' : 'tool call ') + (b.name || '?') + ' · ' + (b.id || '') + ' · line ' + b.line));
      add(blk, textBlock(b.text, b.textOmitted));
      var result = resultOf(file, b);
      if (result) {
        var rd = add(blk, el('details'));
        add(rd, el('summary', null, 'result' + (result.error ? ' (error)' : '') + ' in messages.' + b.pair + ', line ' + result.line + ' · ' + num(result.text.length + (result.textOmitted || 0)) + ' characters'));
        add(rd, textBlock(result.text, result.textOmitted));
      } else {
        add(label, el('span', 'badge bad', 'no result on the resume chain'));
      }
    } else if (b.k === 'tool-result' || b.k === 'server-tool-result') {
      var call = b.pair >= 0 ? file.messages[b.pair] : null;
      var paired = call && call.blocks.some(function (c) { return c.id === b.id && (c.k === 'tool-call' || c.k === 'server-tool-call'); });
      var rl = add(blk, el('div', 'label', 'tool result · ' + (b.id || '') + ' · line ' + b.line + (b.error ? ' · error' : '')));
      if (paired) {
        add(rl, document.createTextNode(' · shown with its call in '));
        add(rl, link('messages.' + b.pair, function () { select(state.file, b.pair); }));
      } else {
        add(rl, el('span', 'badge bad', 'no matching call before it'));
        add(blk, textBlock(b.text, b.textOmitted));
      }
    } else {
      add(blk, el('div', 'label', b.k + ' (' + b.type + ') · line ' + b.line));
      add(blk, textBlock(b.text, b.textOmitted));
    }
    return blk;
  }

  function renderOffChain(section, file, byOff) {
    var off = file.offChain || [];
    var notSent = file.notSent || {};
    var kinds = Object.keys(notSent);
    if (off.length === 0 && kinds.length === 0) { return; }
    var indices = [];
    for (var i = 0; i < off.length; i++) {
      var e = off[i];
      if (state.query === '' || byOff[i] || matches(e.why + ' ' + (e.role || '') + ' ' + e.blocks.map(function (b) { return b.text + ' ' + (b.name || ''); }).join(' '))) { indices.push(i); }
    }
    add(section, el('h3', null, 'Not sent on resume: off-chain branches, sidechains and other lines (' + num(off.length) + ' listed)'));
    if (kinds.length > 0) {
      add(section, el('div', 'muted', 'Also not sent: ' + kinds.map(function (k) { return k + ' × ' + num(notSent[k]); }).join(', ')));
    }
    if (file.offChainUnlisted > 0) { add(section, el('div', 'muted', num(file.offChainUnlisted) + ' more off-chain entries are not listed in this report.')); }
    var pages = Math.max(1, Math.ceil(indices.length / PAGE));
    if (state.offPage >= pages) { state.offPage = pages - 1; }
    var holder = add(section, el('div'));
    holder.id = 'offchain';
    if (pages > 1) {
      var p = add(holder, el('div', 'pager'));
      var prev = add(p, el('button', null, '← previous'));
      prev.disabled = state.offPage === 0;
      prev.addEventListener('click', function () { state.offPage--; renderBody(); document.getElementById('offchain').scrollIntoView(); });
      add(p, el('span', null, 'page ' + (state.offPage + 1) + ' of ' + pages));
      var next = add(p, el('button', null, 'next →'));
      next.disabled = state.offPage >= pages - 1;
      next.addEventListener('click', function () { state.offPage++; renderBody(); document.getElementById('offchain').scrollIntoView(); });
    }
    indices.slice(state.offPage * PAGE, (state.offPage + 1) * PAGE).forEach(function (index) {
      var e = off[index];
      var findings = byOff[index] || [];
      var box = add(holder, el('article', 'msg off' + (e.synthetic ? ' synthetic' : '') + (findings.length ? ' has-findings' : '')));
      box.id = 'o-' + index;
      var head = add(box, el('div', 'head'));
      add(head, el('span', 'badge', e.why === 'sidechain' ? 'sidechain (subagent)' : e.why === 'branch' ? 'off-chain branch' : 'not sent'));
      add(head, el('span', 'role', e.role || e.kind));
      add(head, el('span', 'muted', 'line ' + e.line + (e.type ? ' · ' + e.type : '')));
      if (e.synthetic) { add(head, el('span', 'badge synthetic', e.synthetic)); }
      findings.forEach(function (f) { add(box, findingCard(f, file)); });
      e.blocks.forEach(function (b) {
        var blk = add(box, el('div', 'blk ' + b.k));
        if (b.k !== 'text') { add(blk, el('div', 'label', b.k + (b.name ? ' ' + b.name : '') + (b.id ? ' · ' + b.id : ''))); }
        add(blk, textBlock(b.text, b.textOmitted));
      });
    });
  }

  renderHeader();
  var start = readHash();
  if (start) { select(start.file, start.message); } else { renderBody(); }
  window.addEventListener('hashchange', function () { var h = readHash(); if (h) { select(h.file, h.message); } });
  document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
  document.body.setAttribute('data-rendered', 'ok');
})();
