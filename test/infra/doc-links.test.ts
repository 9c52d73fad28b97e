import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The pages a reader follows links through: the front door, the habits, and docs/. */
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync('docs', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => join('docs', path)),
];

/** Text outside code: a link written in a code sample is an example, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** A page's anchors, a repeated heading numbered as GitHub numbers it (`-1`, `-2`). */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const code = /^```[\s\S]*?^```/gm;
  for (const [, heading = ''] of markdown.replace(code, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(heading);
    let anchor = base;
    for (let n = 1; found.has(anchor); n++) anchor = `${base}-${n}`;
    found.add(anchor);
  }
  return found;
}

/** What is wrong with a relative link from `page`, or nothing. */
function problem(page: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
  if (!existsSync(file)) return `${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${file} has no headings`;
  return anchors(readFileSync(file, 'utf8')).has(anchor)
    ? undefined
    : `${file} has no heading #${anchor}`;
}

describe('documentation links', () => {
  it('find the pages to check', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md']));
    expect(pages.length).toBeGreaterThan(2);
  });

  it('point every relative link at a file that exists, and every #anchor at a heading', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target = ''] of prose(readFileSync(page, 'utf8')).matchAll(
        /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g,
      )) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
        const wrong = problem(page, target);
        if (wrong) broken.push(`${page}: (${target}) — ${wrong}`);
      }
    }

    expect(broken).toEqual([]);
  });

  it('make anchors as GitHub does', () => {
    expect(slug('Rotate the webhook secret without downtime')).toBe(
      'rotate-the-webhook-secret-without-downtime',
    );
    expect(slug('Benchmarks (`npm run bench`)')).toBe('benchmarks-npm-run-bench');
    expect(slug('Capacity: how many installations one deployment serves')).toBe(
      'capacity-how-many-installations-one-deployment-serves',
    );
    expect(slug('Who sees what — today')).toBe('who-sees-what--today');
  });
});
