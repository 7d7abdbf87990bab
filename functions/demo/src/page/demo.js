// The demo page: sends the prompt to this same URL, streams the reply into a chat bubble, lets any reply be
// regenerated. The bot's bubble reads as one message: the prompt (muted, in italics) and the words the bot
// went on with. Screen readers hear each finished reply once (the #announcer live region), not every word.

// After this long with no text yet, say that the bot may be waking up (millzbot's slow note).
// `data-slow-after-ms` on <body> overrides it (the browser test uses a short one).
const slowAfterMs = () => Number(document.body.dataset.slowAfterMs) || 5000;
const endpoint = location.pathname;

const chat = document.getElementById('chat');
const empty = document.getElementById('empty');
const form = document.getElementById('composer');
const promptBox = document.getElementById('prompt');
const generateButton = document.getElementById('generate');
const stopButton = document.getElementById('stop');
const count = document.getElementById('prompt-count');
const announcer = document.getElementById('announcer');
const statusRegion = document.getElementById('status');

/** The request in flight, so Stop (or a new request) can end it. */
let current = null;

function announce(text) {
  // Clearing first makes a repeated message be read again.
  announcer.textContent = '';
  setTimeout(() => (announcer.textContent = text), 50);
}

function setBusy(busy) {
  generateButton.setAttribute('aria-disabled', String(busy));
  stopButton.hidden = !busy;
  chat.setAttribute('aria-busy', String(busy));
  for (const button of chat.querySelectorAll('.regen')) button.setAttribute('aria-disabled', String(busy));
}

function addBubble(kind, who) {
  empty.hidden = true;
  const item = document.createElement('li');
  item.className = `bubble ${kind}`;
  const label = document.createElement('span');
  label.className = 'who';
  label.textContent = who;
  const text = document.createElement('p');
  text.className = 'text';
  text.style.margin = '0';
  item.append(label, text);
  chat.append(item);
  return item;
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

function addActions(item, prompt) {
  const actions = document.createElement('div');
  actions.className = 'actions';
  const regen = document.createElement('button');
  regen.type = 'button';
  regen.className = 'regen';
  regen.textContent = 'Regenerate';
  regen.setAttribute('aria-label', 'Regenerate this reply');
  regen.addEventListener('click', () => {
    if (regen.getAttribute('aria-disabled') === 'true') return;
    generate(prompt, item);
  });
  actions.append(regen);
  item.append(actions);
}

/** Fills `text` with the prompt and an empty continuation; returns the continuation's element. */
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

/** Generates a reply to `prompt` into `item` (a new bubble when absent), streaming the text in. */
async function generate(prompt, item) {
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  item = item ?? addBubble('bot', 'mimicbot');
  item.classList.remove('error');
  delete item.dataset.state;
  // The Regenerate button stays in place while busy (aria-disabled), so keyboard focus on it is kept.
  item.querySelector('.note')?.remove();
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
  setBusy(true);
  statusRegion.textContent = 'mimicbot is thinking…';
  scrollToEnd(item);

  let final = null;
  let problem = '';
  let updates = 0;
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ prompt }),
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
    if (current === controller) {
      current = null;
      setBusy(false);
    }
  }
  if (problem) {
    if (!continuation.textContent || problem !== 'Stopped.') {
      item.classList.add('error');
      text.textContent = problem;
    }
    announce(`mimicbot: ${problem}`);
  } else {
    // What passed the gate, as the server joined it: it replaces what streamed (a draft cut at the token
    // limit loses its unfinished end here).
    promptPart.textContent = final.prompt;
    continuation.textContent = final.joined.slice(final.prompt.length);
    announce(`mimicbot says: ${text.textContent}`);
  }
  statusRegion.textContent = '';
  item.dataset.state = problem ? 'error' : 'done';
  if (!item.querySelector('.actions')) addActions(item, prompt);
}

function updateCount() {
  count.textContent = `${[...promptBox.value].length} / ${promptBox.maxLength}`;
  promptBox.style.height = 'auto';
  promptBox.style.height = `${Math.min(promptBox.scrollHeight + 2, 128)}px`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (generateButton.getAttribute('aria-disabled') === 'true') return;
  const prompt = promptBox.value.trim();
  const mine = addBubble('me', 'You');
  mine.querySelector('.text').textContent = prompt || '(no prompt: surprise me)';
  promptBox.value = '';
  updateCount();
  // Focus stays in the prompt box, ready for the next one; the reply is announced when it is complete.
  promptBox.focus();
  generate(prompt);
});

promptBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
promptBox.addEventListener('input', updateCount);
stopButton.addEventListener('click', () => {
  current?.abort();
  promptBox.focus();
});
updateCount();
