// The reference documents (www/docs/*.md: delivery, privacy, the catalog, performance, …),
// rendered in the privacy panel beside What we collect, one collapsible section each, loaded when
// the panel's Reference is first opened; a link from one document to another opens it in place.
import { marked } from 'marked';

const DOCS = import.meta.glob('../docs/*.md', { query: '?raw', import: 'default' });

const nameOf = (file) => file.split('/').pop().replace(/\.md$/, '');
const titleOf = (text, name) => /^# (.+)$/m.exec(text)?.[1] ?? name;

/** Loads and renders every document into `container`. */
export async function renderDocs(container) {
  const loaded = await Promise.all(Object.entries(DOCS).map(async ([file, load]) => [file, await load()]));
  container.replaceChildren();
  for (const [file, text] of loaded.sort(([a], [b]) => a.localeCompare(b))) {
    const name = nameOf(file);
    const section = document.createElement('details');
    section.id = `doc-${name}`;
    section.className = 'doc';
    const summary = document.createElement('summary');
    summary.textContent = titleOf(text, name);
    const body = document.createElement('div');
    body.innerHTML = marked.parse(text.replace(/^# .+\n/, ''));
    section.append(summary, body);
    container.append(section);
  }
  container.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[href$=".md"]');
    const target = link && !/^[a-z]+:/i.test(link.getAttribute('href')) && document.getElementById(`doc-${nameOf(link.getAttribute('href'))}`);
    if (!target) return;
    event.preventDefault();
    target.open = true;
    target.scrollIntoView({ block: 'start' });
  });
}
