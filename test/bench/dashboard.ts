import { awaitCopilotUsage } from '#infra/local/demo-emails.ts';
import { startStackWithSimulator, syncsComplete } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { latencyFigure, measure } from './measure.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 6: the dashboard's installation page with 26 weeks of
 * history (two repositories, 1,500 pull requests), signed in as a member
 * the way a browser is (the simulator's OAuth pages, cookies by hand):
 * server time per request over 100 requests one after another, and the
 * bytes a first visit transfers (page, style sheet, script; the charts are
 * inline SVG).
 */
const installationId = 7070;
const { sim, stack, install, stop } = await startStackWithSimulator(
  {
    dataset: {
      seed: 7070,
      installationId,
      organisation: 'viewers',
      repositories: [
        { name: 'api', pullRequests: 1000 },
        { name: 'web', pullRequests: 500 },
      ],
    },
  },
  { daysBack: 0 },
);
await install();
await syncsComplete(stack, installationId);
// The first Copilot usage fetch runs in this process too: measured after it, not beside it.
await awaitCopilotUsage(
  { db: createDocumentClient(), tableName: stack.aws.tableName },
  installationId,
);
await stack.rollUpNow(installationId);
await new Promise((resolve) => setTimeout(resolve, 3000));

/** Follows the sign-in as a browser would, keeping the cookies; returns the session cookie. */
async function signIn(login: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const [name = '', value = ''] = pair.split('=');
      jar.set(name, value);
    }
  };
  const cookies = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const start = await fetch(`${stack.url}/login`, { redirect: 'manual' });
  keep(start);
  const authorize = new URL(start.headers.get('location') ?? '');
  const person = sim.dataset.members.find((member) => member.login === login);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('user', String(person?.id));
  const granted = await fetch(`${sim.url}/login/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = await fetch(granted.headers.get('location') ?? '', {
    headers: { cookie: cookies() },
    redirect: 'manual',
  });
  keep(callback);
  return cookies();
}

const cookie = await signIn(sim.dataset.members[2]?.login as string);
const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie } });
const page = await (await get(`/installations/${installationId}`)).text();
if (!page.includes('Cycle time by phase')) throw new Error('the installation page did not render');
const css = await (await get('/assets/dashboard.css')).text();
const script = await (await get('/assets/progress.js')).text();

const timing = await measure(
  'GET /installations/{id}',
  100,
  async () => (await get(`/installations/${installationId}`)).status,
);
await stop();
const bytes = (text: string) => Buffer.byteLength(text);
const kib = (text: string) => (bytes(text) / 1024).toFixed(1);
const firstVisit = bytes(page + css + script);
report(import.meta.url, 'Dashboard: the installation page, 26 weeks of history, signed in', [
  latencyFigure('GET /installations/{id}, 100 one after another', timing, {
    target: 'p50 under 100 ms',
    met: timing.p50 < 100,
  }),
  {
    name: 'bytes a first visit transfers, uncompressed',
    measured: `${(firstVisit / 1024).toFixed(1)} KiB: page ${kib(page)} KiB (four SVG charts inline), style ${kib(css)} KiB, script ${kib(script)} KiB`,
    target: 'under 200 KB',
    met: firstVisit < 200_000,
  },
]);
