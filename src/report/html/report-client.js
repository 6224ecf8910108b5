// The HTML report's behaviour (inline in the page, allowed by its CSP hash): theme toggle, evidence
// rows, sortable columns, filters, download and print. Plain DOM, no library; the page reads fine
// without it (every evidence row is then shown).
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  const byId = (id) => document.getElementById(id);

  // theme: the system's unless the user chose (remembered where the browser allows storage)
  const KEY = 'strata-report-theme';
  const toggle = byId('theme-toggle');
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const isDark = () => (root.dataset.theme ? root.dataset.theme === 'dark' : media.matches);
  const applyTheme = (theme) => {
    if (theme === 'dark' || theme === 'light') root.dataset.theme = theme;
    else delete root.dataset.theme;
    toggle.setAttribute('aria-pressed', String(isDark()));
  };
  let stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch {
    stored = null;
  }
  applyTheme(stored);
  media.addEventListener('change', () => applyTheme(root.dataset.theme));
  toggle.addEventListener('click', () => {
    const theme = isDark() ? 'light' : 'dark';
    applyTheme(theme);
    try {
      window.localStorage.setItem(KEY, theme);
    } catch {
      // storage refused (some file:// settings): the choice lasts for this page only
    }
  });

  // evidence rows
  const setExpanded = (button, open) => {
    button.setAttribute('aria-expanded', String(open));
    byId(button.getAttribute('aria-controls'))?.classList.toggle('open', open);
  };
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.expand') : null;
    if (button) setExpanded(button, button.getAttribute('aria-expanded') !== 'true');
  });
  const expandAll = byId('expand-all');
  expandAll.addEventListener('click', () => {
    const open = expandAll.getAttribute('aria-pressed') !== 'true';
    for (const b of document.querySelectorAll('tbody.finding:not([hidden]) button.expand'))
      setExpanded(b, open);
    expandAll.setAttribute('aria-pressed', String(open));
    expandAll.textContent = open ? 'Collapse all' : 'Expand all';
  });

  // sorting: each header is a button; rows keep their evidence (one <tbody> per row)
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const sortBy = (table, th) => {
    const index = th.cellIndex;
    const numeric = th.dataset.type === 'num';
    const current = th.getAttribute('aria-sort');
    const first = numeric ? 'descending' : 'ascending';
    const dir = current === 'ascending' ? 'descending' : current === 'descending' ? 'ascending' : first;
    for (const other of th.parentElement.cells) {
      if (other !== th && other.hasAttribute('aria-sort')) other.setAttribute('aria-sort', 'none');
    }
    th.setAttribute('aria-sort', dir);
    const sign = dir === 'ascending' ? 1 : -1;
    const key = (body) => {
      const cell = body.rows[0]?.cells[index];
      return cell ? (cell.dataset.sort ?? cell.textContent ?? '') : '';
    };
    const rows = Array.from(table.tBodies, (body, i) => ({ body, i, k: key(body) }));
    rows.sort((a, b) => {
      const c = numeric ? Number(a.k) - Number(b.k) : collator.compare(a.k, b.k);
      return c * sign || a.i - b.i;
    });
    for (const r of rows) table.appendChild(r.body);
  };
  for (const table of document.querySelectorAll('table.sortable')) {
    for (const th of table.tHead.rows[0].cells) {
      const button = th.querySelector('button.sort');
      if (button) button.addEventListener('click', () => sortBy(table, th));
    }
  }

  // filters: text (every word), severities, kind or door
  const text = byId('filter-text');
  const kind = byId('filter-kind');
  const severities = Array.from(document.querySelectorAll('input[name="severity"]'));
  const applyFilter = () => {
    const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    const sevs = new Set(severities.filter((b) => b.checked).map((b) => b.value));
    const want = kind.value;
    const wanted = (el) => !want || want === `kind:${el.dataset.kind}` || want === `door:${el.dataset.door}`;
    let shown = 0;
    let total = 0;
    for (const section of document.querySelectorAll('section.findings')) {
      let n = 0;
      for (const body of section.querySelectorAll('tbody.finding')) {
        total++;
        const ok =
          sevs.has(body.dataset.sev) && wanted(body) && words.every((w) => body.dataset.text.includes(w));
        body.hidden = !ok;
        if (ok) n++;
      }
      shown += n;
      section.hidden = !wanted(section);
      section.querySelector('.shown').textContent = String(n);
      section.querySelector('.none-shown').hidden = n > 0;
    }
    byId('shown-total').textContent = `${shown} of ${total} findings shown`;
  };
  if (text && kind) {
    text.addEventListener('input', applyFilter);
    kind.addEventListener('change', applyFilter);
    for (const b of severities) b.addEventListener('change', applyFilter);
  }
  for (const input of document.querySelectorAll('input[data-filter-table]')) {
    const table = byId(input.dataset.filterTable);
    input.addEventListener('input', () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const body of table.tBodies) body.hidden = !words.every((w) => body.dataset.text.includes(w));
    });
  }

  // the embedded result, as the JSON report
  byId('download-json').addEventListener('click', () => {
    const result = JSON.parse(byId('strata-result').textContent);
    const blob = new Blob([`${JSON.stringify(result, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'strata-result.json';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  byId('print').addEventListener('click', () => window.print());
})();
