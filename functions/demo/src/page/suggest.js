// Suggestions as the visitor types: earlier prompts the function may show (its maker's list, or prompts
// whose replies many visitors liked; the README sets out the rules), as buttons under the prompt box.

const DEBOUNCE_MS = 150;

/** Wires `list` (a <ul>) to `box` (the prompt textarea); `pick(text)` is called with the chosen prompt. */
export function attachSuggestions({ box, list, endpoint, pick }) {
  let timer;
  let asked = 0;

  function show(prompts) {
    list.replaceChildren(
      ...prompts.map((prompt) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'suggestion';
        button.textContent = prompt;
        button.addEventListener('click', () => {
          list.replaceChildren();
          list.hidden = true;
          pick(prompt);
        });
        item.append(button);
        return item;
      }),
    );
    list.hidden = prompts.length === 0;
  }

  async function ask() {
    const mine = ++asked;
    try {
      const response = await fetch(`${endpoint}?suggest=${encodeURIComponent(box.value)}`, { headers: { accept: 'application/json' } });
      const body = response.ok ? await response.json() : { suggestions: [] };
      // A slower answer to an earlier keystroke must not replace a newer one.
      if (mine === asked) show(Array.isArray(body.suggestions) ? body.suggestions : []);
    } catch {
      if (mine === asked) show([]);
    }
  }

  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DEBOUNCE_MS);
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') show([]);
  });
  return { clear: () => ((asked += 1), show([])) };
}
