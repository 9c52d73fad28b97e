import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The tree's floors, lowest first: a module may import from its own group or
 * from a group of a lower rank, never from one at its rank or above. Groups
 * of one rank (the function folders, the sync and webhook engines) stay out
 * of each other. A folder added to the tree must be placed here.
 */
const layers: { rank: number; group: string; members: string[] }[] = [
  {
    rank: 0,
    group: 'shared core',
    members: [
      'shared/aws/',
      'shared/backoff.ts',
      'shared/canonical-json.ts',
      'shared/concurrency.ts',
      'shared/config.ts',
      'shared/errors.ts',
      'shared/function-definition.ts',
      'shared/http/',
      'shared/refreshing.ts',
      'shared/powertools/',
      'shared/resources.ts',
      'shared/schema-issues.ts',
      'shared/seal.ts',
      'shared/wall-clock.ts',
      'shared/working-time/',
    ],
  },
  { rank: 1, group: 'metrics', members: ['shared/metrics/'] },
  { rank: 2, group: 'github', members: ['shared/github/'] },
  { rank: 2, group: 'queue', members: ['shared/queue/'] },
  { rank: 3, group: 'store', members: ['shared/store/'] },
  { rank: 4, group: 'sync', members: ['shared/sync/'] },
  { rank: 4, group: 'webhooks', members: ['shared/webhooks/'] },
  { rank: 4, group: 'rollup', members: ['shared/rollup/'] },
  { rank: 4, group: 'retention', members: ['shared/retention/'] },
  { rank: 4, group: 'copilot', members: ['shared/copilot/'] },
  { rank: 4, group: 'teams', members: ['shared/teams/'] },
  { rank: 4, group: 'nudges', members: ['shared/nudges/'] },
  { rank: 5, group: 'views', members: ['shared/views/'] },
  { rank: 6, group: 'notify', members: ['shared/notify/'] },
  { rank: 6, group: 'dashboard', members: ['shared/dashboard/'] },
  ...readdirSync('functions').map((name) => ({
    rank: 7,
    group: `functions/${name}`,
    members: [`functions/${name}/`],
  })),
  {
    rank: 8,
    group: 'infra base',
    members: [
      'infra/deploy-config.ts',
      'infra/functions.ts',
      'infra/github-app-manifest.json',
      'infra/lambda-bundling.ts',
      'infra/lambda-credentials.ts',
      'infra/log-retention.ts',
      'infra/moment-timezone-intl.ts',
      'infra/queues.ts',
    ],
  },
  { rank: 9, group: 'constructs', members: ['infra/constructs/'] },
  { rank: 9, group: 'local', members: ['infra/local/'] },
  { rank: 10, group: 'stack', members: ['infra/stack.ts'] },
  { rank: 10, group: 'ops', members: ['infra/ops/'] },
  { rank: 11, group: 'app definition', members: ['infra/define-app.ts'] },
  { rank: 12, group: 'cdk entry', members: ['infra/app.ts'] },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const aliases: Record<string, string> = {
  '#shared/': 'shared/',
  '#functions/': 'functions/',
  '#infra/': 'infra/',
};

/** The project files a module imports (static, re-exported or dynamic with a literal path). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*'([^']+)'/g),
    ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1] as string);
  return specifiers.flatMap((specifier) => {
    const alias = Object.keys(aliases).find((prefix) => specifier.startsWith(prefix));
    if (alias) return [`${aliases[alias]}${specifier.slice(alias.length)}`];
    if (specifier.startsWith('.')) return [normalize(join(dirname(file), specifier))];
    return [];
  });
}

function layerOf(file: string) {
  return layers.find((layer) =>
    layer.members.some((member) =>
      member.endsWith('/') ? file.startsWith(member) : file === member,
    ),
  );
}

describe('the source tree', () => {
  const files = ['shared', 'functions', 'infra'].flatMap(sourceFiles);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it('places every module on a floor', () => {
    expect(files.filter((file) => !layerOf(file))).toEqual([]);
  });

  it('imports only downwards: from its own group or a lower floor', () => {
    const upwards = [...graph].flatMap(([file, targets]) => {
      const from = layerOf(file);
      return targets.flatMap((target) => {
        const to = layerOf(target);
        if (!from || !to || to.group === from.group || to.rank < from.rank) return [];
        return [`${file} (${from.group}) -> ${target} (${to.group})`];
      });
    });
    expect(upwards).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });
});
