/**
 * The dashboard's only static files, served from the function itself
 * (`/assets/...`): the style sheet and the script that keeps sync progress
 * bars moving. The Content-Security-Policy allows scripts and styles from
 * this origin only, and no inline ones.
 */
const css = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827;background:#f9fafb;line-height:1.5}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#1e1b4b;color:#fff}
header a{color:#fff;font-weight:700;text-decoration:none}
header form{margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:#3730a3}
button,.button{font:inherit;padding:.4rem .9rem;border-radius:.4rem;border:1px solid #3730a3;background:#3730a3;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
header button{background:transparent;border-color:#c7d2fe}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{padding:.4rem .6rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.number,th.number{text-align:right;white-space:nowrap}
.better{color:#047857}.worse{color:#b91c1c}
ul.cards{list-style:none;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}
ul.cards li{background:#fff;border:1px solid #e5e7eb;border-radius:.5rem;padding:.75rem}
.repo{background:#fff;border:1px solid #e5e7eb;border-radius:.5rem;padding:.75rem;margin:.5rem 0}
.repo progress{width:100%;height:1rem}
.muted{color:#4b5563;font-size:.9rem}
.chart{background:#fff;border:1px solid #e5e7eb;border-radius:.5rem;padding:.5rem;margin:.5rem 0}
.chart svg.plot{width:100%;height:auto;display:block}
svg.swatch{width:.75rem;height:.75rem;vertical-align:middle}
.notice{background:#fef3c7;border:1px solid #f59e0b;border-radius:.5rem;padding:.75rem}
label{display:block;font-weight:600;margin-top:.75rem}
input[type=text],input[type=number],textarea,select{font:inherit;width:100%;max-width:32rem;padding:.4rem;border:1px solid #9ca3af;border-radius:.3rem;box-sizing:border-box}
fieldset{border:1px solid #e5e7eb;border-radius:.5rem;margin:1rem 0;padding:.25rem .75rem .75rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
`;

/**
 * Polls the installation's progress while any repository is still syncing,
 * every three seconds, and moves each bar and its words; stops when all are
 * done. Without script the page still shows the progress at load.
 */
const progressScript = `
(() => {
  const list = document.querySelector('[data-progress-url]');
  if (!list) return;
  const url = list.getAttribute('data-progress-url');
  const unfinished = (repos) => repos.some((repo) => repo.active && repo.status !== 'complete' && repo.status !== 'failed');
  async function refresh() {
    let repos;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return;
      const progress = await response.json();
      repos = progress.repositories;
      const history = document.querySelector('[data-history]');
      if (history) history.textContent = 'History ' + progress.history;
    } catch { setTimeout(refresh, 3000); return; }
    for (const repo of repos) {
      const item = list.querySelector('[data-repository="' + repo.id + '"]');
      if (!item) continue;
      item.querySelector('progress').value = repo.percent;
      item.querySelector('[data-state]').textContent = repo.state;
    }
    if (unfinished(repos)) setTimeout(refresh, 3000);
  }
  if (list.getAttribute('data-syncing') === 'true') setTimeout(refresh, 3000);
})();
`;

export const assets: Record<string, { contentType: string; body: string }> = {
  'dashboard.css': { contentType: 'text/css; charset=utf-8', body: css },
  'progress.js': { contentType: 'text/javascript; charset=utf-8', body: progressScript },
};
