// The demo page: sends the prompt to this same URL, streams each persona's reply into a chat bubble (two
// side by side when the demo shows two), lets any reply be regenerated and rated 👍/👎, and keeps the
// visitor's conversation in this browser (memory.js). The bot's bubble reads as one message: the prompt
// (muted, in italics) and the words the bot went on with. Screen readers hear each finished reply once
// (the #announcer live region), not every word.

// The page's other files by this script's own URL (`?asset=`), wherever the function is served: a static
// import cannot name a query-only URL. The Generate button stays disabled until they are in (below).
const asset = (name) => import(new URL(`?asset=${name}`, import.meta.url).href);
const [{ attachSuggestions }, { forgetEverything, loadHistory, saveHistory, voterId }] = await Promise.all([asset('suggest.js'), asset('memory.js')]);

// After this long with no text yet, say that the bot may be waking up (millzbot's slow note).
// `data-slow-after-ms` on <body> overrides it (the browser test uses a short one).
const slowAfterMs = () => Number(document.body.dataset.slowAfterMs) || 5000;
const endpoint = location.pathname;
const feedbackUrl = `${endpoint.replace(/\/$/, '')}/feedback`;
/** [{name, id, description, served}]: one, or two side by side (render-page.ts fills it in). */
const personas = JSON.parse(document.body.dataset.personas || '[]');
const sideBySide = personas.length > 1;

const chat = document.getElementById('chat');
const empty = document.getElementById('empty');
const form = document.getElementById('composer');
const promptBox = document.getElementById('prompt');
const generateButton = document.getElementById('generate');
const stopButton = document.getElementById('stop');
const count = document.getElementById('prompt-count');
const announcer = document.getElementById('announcer');
const statusRegion = document.getElementById('status');
const forgetButton = document.getElementById('forget');

/** Requests in flight, so Stop (or a new prompt) can end them. */
const inFlight = new Set();
/** The conversation as stored: exchanges of a prompt and its replies, each reply's state kept on its bubble. */
let history = loadHistory();

function announce(text) {
  // Clearing first makes a repeated message be read again.
  announcer.textContent = '';
  setTimeout(() => (announcer.textContent = text), 50);
}

function setBusy() {
  const busy = inFlight.size > 0;
  generateButton.setAttribute('aria-disabled', String(busy));
  stopButton.hidden = !busy;
  chat.setAttribute('aria-busy', String(busy));
  for (const button of chat.querySelectorAll('.regen')) button.setAttribute('aria-disabled', String(busy));
}

function stopAll() {
  for (const controller of inFlight) controller.abort();
}

function bubble(tag, kind, who) {
  empty.hidden = true;
  const item = document.createElement(tag);
  item.className = `bubble ${kind}`;
  const label = document.createElement('span');
  label.className = 'who';
  label.textContent = who;
  const text = document.createElement('p');
  text.className = 'text';
  text.style.margin = '0';
  item.append(label, text);
  return item;
}

function addMine(prompt) {
  const mine = bubble('li', 'me', 'You');
  mine.querySelector('.text').textContent = prompt || '(no prompt: surprise me)';
  chat.append(mine);
}

/** The bot bubbles for one exchange: a lone bubble, or a row of one per persona, each with its description. */
function addReplies(exchange) {
  if (exchange.replies.length === 1 && !sideBySide) {
    const item = bubble('li', 'bot', 'mimicbot');
    chat.append(item);
    return [item];
  }
  const row = document.createElement('li');
  row.className = 'pair';
  const items = exchange.replies.map((reply) => {
    const persona = personas.find((p) => p.name === reply.persona);
    const item = bubble('div', 'bot', reply.persona ?? 'mimicbot');
    item.dataset.persona = reply.persona ?? '';
    const about = document.createElement('span');
    about.className = 'persona-description';
    about.textContent = persona ? persona.description : 'A bot this demo no longer shows.';
    item.querySelector('.who').after(about);
    if (persona && !persona.served) about.textContent += ' (The model server does not serve this model right now.)';
    row.append(item);
    return item;
  });
  chat.append(row);
  return items;
}

function thinkingIndicator() {
  const dots = document.createElement('span');
  dots.className = 'thinking';
  dots.setAttribute('role', 'img');
  dots.setAttribute('aria-label', 'mimicbot is thinking');
  dots.innerHTML = '<span></span><span></span><span></span>';
  return dots;
}

function scrollToEnd(item) {
  item.scrollIntoView({ block: 'end', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

/** Reads a text/event-stream body, calling onEvent(name, data) for each event. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

function ratingButton(rating, label, symbol) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `rate rate-${rating}`;
  button.dataset.rating = rating;
  button.textContent = symbol;
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-pressed', 'false');
  return button;
}

/** Shows the reply's rating on its buttons. */
function showRating(item, rating) {
  for (const button of item.querySelectorAll('.rate')) button.setAttribute('aria-pressed', String(button.dataset.rating === rating));
  if (rating) item.dataset.rating = rating;
  else delete item.dataset.rating;
}

async function sendRating(item, reply, wanted) {
  const rating = reply.rating === wanted ? null : wanted;
  item.querySelector('.rate-note')?.remove();
  try {
    const response = await fetch(feedbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replyId: reply.replyId, rating, voter: voterId() }),
    });
    if (!response.ok) {
      const body = (response.headers.get('content-type') || '').includes('json') ? await response.json() : {};
      throw new Error(body.error?.message || `The demo answered ${response.status}.`);
    }
    reply.rating = rating;
    showRating(item, rating);
    saveHistory(history);
    statusRegion.textContent = rating ? `Rated ${rating === 'up' ? 'good' : 'bad'}. Thanks!` : 'Rating taken back.';
  } catch (error) {
    const note = document.createElement('p');
    note.className = 'note rate-note';
    note.textContent = `Your rating was not saved: ${error.message}`;
    item.append(note);
  }
}

/**
 * Regenerate, and 👍/👎 once the reply has an id to rate. A bubble keeps its Regenerate button from one
 * reply to the next, so keyboard focus on it survives a regeneration.
 */
function setActions(item, exchange, reply) {
  let actions = item.querySelector('.actions');
  if (!actions) {
    actions = document.createElement('div');
    actions.className = 'actions';
    const regen = document.createElement('button');
    regen.type = 'button';
    regen.className = 'regen';
    regen.textContent = 'Regenerate';
    regen.setAttribute('aria-label', 'Regenerate this reply');
    regen.setAttribute('aria-disabled', String(inFlight.size > 0));
    regen.addEventListener('click', () => {
      if (regen.getAttribute('aria-disabled') === 'true') return;
      stopAll();
      generate(exchange, reply, item);
    });
    actions.append(regen);
    item.append(actions);
  }
  actions.querySelectorAll('.rate').forEach((button) => button.remove());
  if (reply.replyId) {
    const up = ratingButton('up', 'Good reply', '👍');
    const down = ratingButton('down', 'Bad reply', '👎');
    up.addEventListener('click', () => sendRating(item, reply, 'up'));
    down.addEventListener('click', () => sendRating(item, reply, 'down'));
    actions.append(up, down);
  }
  showRating(item, reply.rating ?? null);
}

/** Fills `text` with the prompt and an empty continuation; returns both parts. */
function startMessage(text, prompt) {
  text.textContent = '';
  const promptPart = document.createElement('span');
  promptPart.className = 'prompt';
  promptPart.textContent = prompt;
  const continuation = document.createElement('span');
  continuation.className = 'continuation';
  text.append(promptPart, continuation);
  return { promptPart, continuation };
}

/** Shows a finished reply (or its error) in its bubble: after a stream, and from history on reload. */
function showReply(item, exchange, reply) {
  if (!reply.error && !reply.joined) reply.error = 'This reply did not finish.';
  const text = item.querySelector('.text');
  item.classList.toggle('error', Boolean(reply.error));
  if (reply.error) text.textContent = reply.error;
  else {
    const { promptPart, continuation } = startMessage(text, reply.promptShown);
    continuation.textContent = reply.joined.slice(reply.promptShown.length);
    promptPart.textContent = reply.promptShown;
  }
  item.dataset.state = reply.error ? 'error' : 'done';
  setActions(item, exchange, reply);
}

/** Generates `reply` (one persona's, for `exchange.prompt`) into `item`, streaming the text in. */
async function generate(exchange, reply, item) {
  const { prompt } = exchange;
  const controller = new AbortController();
  inFlight.add(controller);
  item.classList.remove('error');
  delete item.dataset.state;
  // The Regenerate button stays in place while busy (aria-disabled), so keyboard focus on it is kept.
  item.querySelectorAll('.note, .rate').forEach((e) => e.remove());
  const text = item.querySelector('.text');
  const { promptPart, continuation } = startMessage(text, prompt);
  const dots = thinkingIndicator();
  text.after(dots);
  const note = document.createElement('p');
  note.className = 'note';
  const slowTimer = setTimeout(() => {
    note.textContent = 'This is taking a while: the bot may be waking up. Hang on…';
    dots.after(note);
    statusRegion.textContent = 'Still thinking; the bot may be waking up.';
  }, slowAfterMs());
  setBusy();
  statusRegion.textContent = 'mimicbot is thinking…';
  scrollToEnd(item);

  let final = null;
  let problem = '';
  let updates = 0;
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(reply.persona ? { prompt, model: reply.persona } : { prompt }),
      signal: controller.signal,
    });
    const type = response.headers.get('content-type') || '';
    if (!response.ok || !type.includes('text/event-stream')) {
      const body = type.includes('json') ? await response.json() : {};
      throw new Error(body.error?.message || `The demo answered ${response.status}.`);
    }
    await readEvents(response, (name, data) => {
      if (name === 'delta') {
        dots.remove();
        clearTimeout(slowTimer);
        note.remove();
        continuation.textContent += data.text;
        updates++;
        item.dataset.updates = String(updates);
        scrollToEnd(item);
      } else if (name === 'reset') {
        // The server turned down the draft it was showing and is drawing another: start the words again.
        continuation.textContent = '';
        text.after(dots);
        statusRegion.textContent = 'mimicbot is trying again…';
      } else if (name === 'done') {
        final = data;
      } else if (name === 'blocked' || name === 'nothing' || name === 'error') {
        problem = data.message;
      }
    });
    if (!final && !problem) problem = 'The bot had nothing to say. Try regenerating.';
  } catch (error) {
    problem = error.name === 'AbortError' ? 'Stopped.' : error.message || 'Could not reach the demo.';
  } finally {
    clearTimeout(slowTimer);
    dots.remove();
    note.remove();
    inFlight.delete(controller);
    setBusy();
  }
  const who = reply.persona ?? 'mimicbot';
  if (problem) {
    // A reply stopped part-way keeps what it showed; it is not kept in history, and it cannot be rated.
    const partial = problem === 'Stopped.' && continuation.textContent;
    Object.assign(reply, { error: partial ? undefined : problem, joined: partial ? text.textContent : '', promptShown: prompt, replyId: undefined, rating: null });
    if (!partial) {
      item.classList.add('error');
      text.textContent = problem;
    }
    item.dataset.state = 'error';
    setActions(item, exchange, reply);
    announce(`${who}: ${problem}`);
  } else {
    // What passed the gate, as the server joined it: it replaces what streamed (a draft cut at the token
    // limit loses its unfinished end here).
    Object.assign(reply, { error: undefined, joined: final.joined, promptShown: final.prompt, replyId: final.replyId, rating: null });
    showReply(item, exchange, reply);
    announce(`${who} says: ${text.textContent}`);
  }
  statusRegion.textContent = '';
  // Not when the history was deleted while this reply was on its way.
  if (history.includes(exchange)) saveHistory(history);
}

function updateCount() {
  count.textContent = `${[...promptBox.value].length} / ${promptBox.maxLength}`;
  promptBox.style.height = 'auto';
  promptBox.style.height = `${Math.min(promptBox.scrollHeight + 2, 128)}px`;
}

const suggestions = attachSuggestions({
  box: promptBox,
  list: document.getElementById('suggestions'),
  endpoint,
  pick: (prompt) => {
    promptBox.value = prompt;
    updateCount();
    promptBox.focus();
  },
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (generateButton.getAttribute('aria-disabled') === 'true') return;
  const prompt = promptBox.value.trim();
  stopAll();
  addMine(prompt);
  promptBox.value = '';
  updateCount();
  suggestions.clear();
  // Focus stays in the prompt box, ready for the next one; the reply is announced when it is complete.
  promptBox.focus();
  const exchange = { prompt, replies: personas.map((p) => ({ persona: p.name, joined: '', promptShown: prompt, rating: null })) };
  history.push(exchange);
  const items = addReplies(exchange);
  exchange.replies.forEach((reply, i) => generate(exchange, reply, items[i]));
});

forgetButton.addEventListener('click', () => {
  stopAll();
  forgetEverything();
  history = [];
  chat.replaceChildren();
  empty.hidden = false;
  announce('Your history on this browser is deleted.');
  promptBox.focus();
});

promptBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
promptBox.addEventListener('input', updateCount);
stopButton.addEventListener('click', () => {
  stopAll();
  promptBox.focus();
});
updateCount();
generateButton.disabled = false;

// The conversation kept from earlier visits; replies that never finished were not kept.
for (const exchange of history) {
  addMine(exchange.prompt);
  addReplies(exchange).forEach((item, i) => showReply(item, exchange, exchange.replies[i]));
}
