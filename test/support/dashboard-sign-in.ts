import type { SimUser } from '#infra/local/github-sim/dataset.ts';
import type { GitHubSimulator } from '#infra/local/github-sim/server.ts';

/**
 * Signs `person` in to the dashboard at `dashboardUrl` as a browser would,
 * over plain HTTP (the simulator's authorize page, cookies kept by hand);
 * returns the Cookie header the signed-in browser sends.
 */
export async function dashboardCookie(
  dashboardUrl: string,
  sim: GitHubSimulator,
  person: SimUser,
): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookies = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const start = await fetch(`${dashboardUrl}/login`, { redirect: 'manual' });
  keep(start);
  const form = new URLSearchParams(new URL(start.headers.get('location') ?? '').searchParams);
  form.set('user', String(person.id));
  const granted = await fetch(`${sim.url}/login/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = await fetch(granted.headers.get('location') ?? '', {
    headers: { cookie: cookies() },
    redirect: 'manual',
  });
  if (callback.status !== 303) throw new Error(`sign-in answered ${callback.status}`);
  keep(callback);
  return cookies();
}
