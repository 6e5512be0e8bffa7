/* Local chat simulator: pick who you are, chat, watch the bot answer. Plain browser JS, no build step. */
/* global document, window, fetch, location, setTimeout, clearTimeout, setInterval */
'use strict';

const POLL_MS = 600;
/** The simulated date is read again this often (it turns at midnight like any date). */
const CLOCK_POLL_MS = 60_000;
const MAX_ADVANCE_DAYS = 60;
const ROLE_LABELS = {
  cadre: '村干部',
  villageSecretary: '村支书',
  townshipReviewer: '乡镇审核',
  countyApprover: '县级审批',
  admin: '管理员',
};

const $ = (id) => document.getElementById(id);
const state = { identities: null, current: null, revision: -1, pollTimer: null, polling: false, pollAgain: false };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || data.error || `HTTP ${res.status}`);
  return data;
}

function showNotice(text) {
  const notice = $('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

// ---- identities ------------------------------------------------------------------------------

function identityButton(channel, id, name, note) {
  const button = el('button', 'identity');
  button.type = 'button';
  button.dataset.channel = channel;
  button.dataset.id = id;
  button.append(el('strong', '', name), el('small', '', note));
  button.addEventListener('click', () => {
    location.hash = `#${channel}/${encodeURIComponent(id)}`;
  });
  return button;
}

function renderPicker() {
  const { households, staff } = state.identities;
  $('households').replaceChildren(...households.map((h) => identityButton('kf', h.externalUserId, h.name, `${h.note} · 微信用户`)));
  $('staff').replaceChildren(
    ...staff.map((s) => identityButton('app', s.userId, s.name, `${s.roles.map((r) => ROLE_LABELS[r] || r).join('、')} · ${s.areas.join('、')}`)),
  );
}

function findIdentity(channel, id) {
  if (!state.identities) return null;
  if (channel === 'kf') {
    const h = state.identities.households.find((x) => x.externalUserId === id);
    return h && { channel, id, name: h.name, subtitle: '微信客服 · 防返贫帮扶' };
  }
  const s = state.identities.staff.find((x) => x.userId === id);
  return s && { channel, id, name: s.name, subtitle: `企业微信 · ${s.roles.map((r) => ROLE_LABELS[r] || r).join('、')}` };
}

// ---- transcript ------------------------------------------------------------------------------

function renderMenu(entry) {
  const bubble = el('div', 'bubble');
  if (entry.head) bubble.append(el('div', 'menu-head', entry.head));
  const items = el('div', 'menu-items');
  for (const item of entry.items) {
    if (item.type === 'click') {
      const button = el('button', 'menu-item', item.content);
      button.type = 'button';
      button.addEventListener('click', () => sendHousehold(item.content, item.id));
      items.append(button);
    } else if (item.type === 'view') {
      const link = el('a', 'menu-link', item.content);
      link.href = item.url;
      link.target = '_blank';
      link.rel = 'noopener';
      items.append(link);
    } else {
      items.append(el('div', 'menu-text', item.content));
    }
  }
  bubble.append(items);
  if (entry.tail) bubble.append(el('div', 'menu-tail', entry.tail));
  return bubble;
}

function renderCard(card) {
  const box = el('div', 'card');
  if (card.source) box.append(el('div', 'source', card.source));
  box.append(el('h3', '', card.title));
  if (card.desc) box.append(el('div', 'desc', card.desc));
  if (card.subTitle) box.append(el('div', 'sub', card.subTitle));
  if (card.fields.length > 0) {
    const list = el('dl');
    for (const f of card.fields) list.append(el('dt', '', f.keyname), el('dd', '', f.value));
    box.append(list);
  }
  if (card.done !== undefined) {
    box.append(el('div', 'card-done', card.done));
    return box;
  }
  const buttons = el('div', 'card-buttons');
  for (const b of card.buttons) {
    const button = el('button', `card-button${b.style === 1 ? ' primary' : b.style === 2 ? ' danger' : ''}`, b.text);
    button.type = 'button';
    button.addEventListener('click', () => clickCard(card.taskId, b.key, buttons));
    buttons.append(button);
  }
  box.append(buttons);
  return box;
}

function dateLabel(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function renderEntry(entry) {
  if (entry.kind === 'clock') {
    const li = el('li', 'msg event clock-jump');
    li.append(el('span', 'bubble', `—— 时间快进${entry.days}天，模拟日期${dateLabel(entry.date)} ——`));
    return li;
  }
  if (entry.kind === 'card_update') {
    const li = el('li', 'msg event');
    li.append(el('span', 'bubble', `卡片已更新：${entry.text}`));
    return li;
  }
  const li = el('li', `msg ${entry.from}`);
  li.dataset.kind = entry.kind;
  if (entry.kind === 'menu') li.append(renderMenu(entry));
  else if (entry.kind === 'card') li.append(renderCard(entry.card));
  else if (entry.kind === 'click') li.append(el('div', 'bubble', `点击了「${entry.text}」`));
  else if (entry.kind === 'textcard') li.append(el('div', 'bubble', `${entry.title}\n${entry.description}`));
  else li.append(el('div', 'bubble', entry.text));
  return li;
}

function renderTranscript(entries) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren(...entries.map(renderEntry));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

async function refresh() {
  const me = state.current;
  if (!me) return;
  try {
    const data = await api('GET', `/simulator/transcript?channel=${me.channel}&id=${encodeURIComponent(me.id)}`);
    if (state.current !== me || data.revision === state.revision) return;
    state.revision = data.revision;
    renderTranscript(data.entries);
  } catch (err) {
    showNotice(`无法读取消息：${err.message}`);
  }
}

// One polling loop at a time: a poll asked for while one is in flight runs right after it instead of
// starting a second loop (each send asks for one), so the page polls every POLL_MS for as long as it is open.
function poll() {
  clearTimeout(state.pollTimer);
  state.pollTimer = null;
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  refresh().finally(() => {
    state.polling = false;
    const again = state.pollAgain;
    state.pollAgain = false;
    clearTimeout(state.pollTimer);
    if (state.current) state.pollTimer = setTimeout(poll, again ? 0 : POLL_MS);
  });
}

// ---- sending ---------------------------------------------------------------------------------

async function send(path, body) {
  showNotice('');
  try {
    await api('POST', path, body);
  } catch (err) {
    showNotice(`发送失败：${err.message}`);
  }
  poll();
}

function sendHousehold(text, menuId) {
  const body = { externalUserId: state.current.id, text };
  if (menuId) body.menuId = menuId;
  return send('/simulator/household/messages', body);
}

function clickCard(taskId, eventKey, buttons) {
  for (const b of buttons.querySelectorAll('button')) b.disabled = true;
  return send('/simulator/staff/card-clicks', { userId: state.current.id, taskId, eventKey });
}

async function onSubmit(event) {
  event.preventDefault();
  const input = $('text');
  const text = input.value.trim();
  if (!text || !state.current) return;
  input.value = '';
  $('send').disabled = true;
  try {
    if (state.current.channel === 'kf') await sendHousehold(text);
    else await send('/simulator/staff/messages', { userId: state.current.id, text });
  } finally {
    $('send').disabled = false;
    input.focus();
  }
}

// ---- simulated time (local mode only) -----------------------------------------------------------

function renderClock(clock) {
  $('clock-date').textContent = dateLabel(clock.date);
  $('clock-ahead').textContent = clock.aheadDays > 0 ? `（已快进${clock.aheadDays}天）` : '';
  $('clock').hidden = false;
}

async function loadClock() {
  try {
    renderClock(await api('GET', '/simulator/clock'));
  } catch {
    $('clock').hidden = true; // no simulated time here: nothing to show
  }
}

function daysToAdvance() {
  const days = Number($('clock-days').value);
  return Number.isInteger(days) && days >= 1 && days <= MAX_ADVANCE_DAYS ? days : null;
}

function onDaysInput() {
  const days = daysToAdvance();
  $('clock-advance').textContent = days ? `快进${days}天` : '快进';
  $('clock-advance').disabled = !days;
}

async function onAdvance(event) {
  event.preventDefault();
  const days = daysToAdvance();
  if (!days) return;
  $('clock-advance').disabled = true;
  try {
    renderClock(await api('POST', '/simulator/clock', { days }));
  } catch (err) {
    $('clock-ahead').textContent = `快进失败：${err.message}`;
  } finally {
    $('clock-advance').disabled = false;
  }
  if (state.current) poll();
}

// ---- navigation ------------------------------------------------------------------------------

function route() {
  const match = /^#(kf|app)\/(.+)$/.exec(location.hash);
  const me = match && findIdentity(match[1], decodeURIComponent(match[2]));
  state.current = me || null;
  state.revision = -1;
  $('picker').hidden = Boolean(me);
  $('chat').hidden = !me;
  $('back').hidden = !me;
  $('title').textContent = me ? me.name : '选择身份';
  $('subtitle').textContent = me ? me.subtitle : '本地模拟 · 不连接真实企业微信';
  showNotice('');
  if (me) {
    $('messages').replaceChildren();
    poll();
    $('text').focus();
  } else {
    clearTimeout(state.pollTimer);
  }
}

async function start() {
  $('composer').addEventListener('submit', onSubmit);
  $('clock-form').addEventListener('submit', onAdvance);
  $('clock-days').addEventListener('input', onDaysInput);
  await loadClock();
  setInterval(loadClock, CLOCK_POLL_MS);
  $('back').addEventListener('click', () => {
    location.hash = '';
  });
  window.addEventListener('hashchange', route);
  try {
    state.identities = await api('GET', '/simulator/identities');
  } catch (err) {
    $('subtitle').textContent = `无法加载身份列表：${err.message}`;
    return;
  }
  renderPicker();
  route();
  document.body.dataset.ready = 'true';
}

start();
