import type { CopilotUsage } from './copilot-usage.ts';
import type { Dataset, SimPullRequest, SimRepository } from './dataset.ts';
import { deliveryOf } from './delivery.ts';
import type { RateLimitState } from './rate-limits.ts';
import {
  restBranchCommit,
  restDeployment,
  restDeploymentStatus,
  restIssue,
  restRelease,
  restTag,
} from './rest-delivery.ts';
import {
  type AppPermissions,
  restCommit,
  restPullRequest,
  restRateLimit,
  restRepository,
  restReview,
} from './rest-objects.ts';
import { notFound, type RestReply } from './rest-reply.ts';

export interface RestRequest {
  url: URL;
  params: string[];
  installationId: number;
}

export interface RestContext {
  dataset: Dataset;
  copilot: CopilotUsage;
  /** What the installation was granted. */
  permissions: AppPermissions;
  /** The instant of the request (epoch ms): teams answer with their members then. */
  at: number;
  /** Base URL of the simulator, for Link headers. */
  baseUrl: string;
  /** False for repositories that have disappeared (fault injection). */
  visible: (repo: SimRepository) => boolean;
  rateLimits: (installationId: number) => { core: RateLimitState; graphql: RateLimitState };
}

/** `per_page` (1–100, default 30) and `page` with GitHub's Link header. */
export function paginate<T>(
  url: URL,
  baseUrl: string,
  total: number,
  slice: (offset: number, limit: number) => T[],
) {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (target: number, rel: string) => {
    const href = new URL(url.pathname + url.search, baseUrl);
    href.searchParams.set('per_page', String(perPage));
    href.searchParams.set('page', String(target));
    return `<${href.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page < lastPage ? [link(page + 1, 'next'), link(lastPage, 'last')] : []),
    ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
  ];
  return {
    items: slice((page - 1) * perPage, perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : ({} as Record<string, string>),
  };
}

function repositoryOf(request: RestRequest, context: RestContext): SimRepository | undefined {
  const [owner, name] = request.params;
  const repo = context.dataset.repository(`${owner}/${name}`);
  return repo && context.visible(repo) ? repo : undefined;
}

function pullRequestOf(request: RestRequest, context: RestContext): SimPullRequest | undefined {
  const repo = repositoryOf(request, context);
  return repo ? context.dataset.pullRequest(repo, Number(request.params[2])) : undefined;
}

/** PR numbers in the order `GET /pulls` lists them, filtered by state. */
function listedNumbers(context: RestContext, repo: SimRepository, url: URL): number[] {
  const state = url.searchParams.get('state') ?? 'open';
  const sort = url.searchParams.get('sort') ?? 'created';
  const direction = url.searchParams.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const total = repo.pullRequestCount;
  let numbers =
    sort === 'updated'
      ? [...context.dataset.numbersByUpdated(repo)].reverse()
      : Array.from({ length: total }, (_, i) => i + 1);
  if (direction === 'desc') numbers = numbers.reverse();
  if (state === 'all') return numbers;
  return numbers.filter((number) => {
    const open = context.dataset.pullRequest(repo, number)?.state === 'OPEN';
    return state === 'open' ? open : !open;
  });
}

export type Route = [
  method: string,
  path: RegExp,
  handle: (request: RestRequest, context: RestContext) => RestReply,
];

const segment = '([^/]+)';

export const restRoutes: Route[] = [
  [
    'GET',
    /^\/installation\/repositories$/,
    (request, context) => {
      const repos = context.dataset.repositories.filter(context.visible);
      const page = paginate(request.url, context.baseUrl, repos.length, (offset, limit) =>
        repos.slice(offset, offset + limit).map(restRepository),
      );
      return {
        status: 200,
        body: {
          total_count: repos.length,
          repository_selection: 'selected',
          repositories: page.items,
        },
        headers: page.headers,
      };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      return repo ? { status: 200, body: restRepository(repo) } : notFound;
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/pulls$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      const numbers = listedNumbers(context, repo, request.url);
      const page = paginate(request.url, context.baseUrl, numbers.length, (offset, limit) =>
        numbers
          .slice(offset, offset + limit)
          .map((number) =>
            restPullRequest(context.dataset.pullRequest(repo, number) as SimPullRequest, false),
          ),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/pulls/(\\d+)$`),
    (request, context) => {
      const pr = pullRequestOf(request, context);
      return pr ? { status: 200, body: restPullRequest(pr, true) } : notFound;
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/pulls/(\\d+)/reviews$`),
    (request, context) => {
      const pr = pullRequestOf(request, context);
      if (!pr) return notFound;
      const page = paginate(request.url, context.baseUrl, pr.reviewCount, (offset, limit) =>
        context.dataset.reviews(pr, offset, limit).map((review) => restReview(pr, review)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/pulls/(\\d+)/commits$`),
    (request, context) => {
      const pr = pullRequestOf(request, context);
      if (!pr) return notFound;
      // GitHub lists at most 250 commits of a pull request.
      const page = paginate(
        request.url,
        context.baseUrl,
        Math.min(250, pr.commitCount),
        (offset, limit) =>
          context.dataset
            .commits(pr, offset, Math.min(limit, 250 - offset))
            .map((commit) => restCommit(pr.repository.fullName, commit)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/deployments$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      const environment = request.url.searchParams.get('environment');
      const sha = request.url.searchParams.get('sha');
      // Newest first, filtered by environment and SHA when asked.
      const listed = deliveryOf(context.dataset, repo)
        .deployments.filter(
          (deployment) =>
            (!environment || deployment.environment === environment) &&
            (!sha || deployment.sha === sha),
        )
        .reverse();
      const page = paginate(request.url, context.baseUrl, listed.length, (offset, limit) =>
        listed.slice(offset, offset + limit).map((deployment) => restDeployment(repo, deployment)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/deployments/(\\d+)/statuses$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      const deployment =
        repo &&
        deliveryOf(context.dataset, repo).deployments.find(
          (found) => found.id === Number(request.params[2]),
        );
      if (!repo || !deployment) return notFound;
      const statuses = [...deployment.statuses].reverse();
      const page = paginate(request.url, context.baseUrl, statuses.length, (offset, limit) =>
        statuses
          .slice(offset, offset + limit)
          .map((status) => restDeploymentStatus(repo, deployment, status)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/commits$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      const { branch } = deliveryOf(context.dataset, repo);
      // From the default branch's head, or from the commit `sha` names.
      const from = request.url.searchParams.get('sha') ?? 'main';
      const head =
        from === 'main' ? branch.length - 1 : branch.findIndex((commit) => commit.oid === from);
      if (head < 0) return notFound;
      const since = Date.parse(request.url.searchParams.get('since') ?? '') || 0;
      const listed = branch
        .slice(0, head + 1)
        .filter((commit) => commit.committedDate.getTime() >= since)
        .reverse();
      const page = paginate(request.url, context.baseUrl, listed.length, (offset, limit) =>
        listed
          .slice(offset, offset + limit)
          .map((commit) => restBranchCommit(context.dataset, repo, commit)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/releases$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      // Newest first.
      const listed = [...deliveryOf(context.dataset, repo).releases].reverse();
      const page = paginate(request.url, context.baseUrl, listed.length, (offset, limit) =>
        listed.slice(offset, offset + limit).map((release) => restRelease(repo, release)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/tags$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      // The simulator's tags are its releases', newest first.
      const listed = [...deliveryOf(context.dataset, repo).releases].reverse();
      const page = paginate(request.url, context.baseUrl, listed.length, (offset, limit) =>
        listed.slice(offset, offset + limit).map((release) => restTag(repo, release)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/issues$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      if (!repo) return notFound;
      const { searchParams } = request.url;
      const state = searchParams.get('state') ?? 'open';
      const labels = (searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const since = Date.parse(searchParams.get('since') ?? '') || 0;
      // Issues only (the simulator's PRs are not listed here), newest first.
      const listed = deliveryOf(context.dataset, repo)
        .issues.filter(
          (issue) =>
            (state === 'all' || (state === 'closed') === Boolean(issue.closedAt)) &&
            labels.every((label) => issue.labels.includes(label)) &&
            issue.updatedAt.getTime() >= since,
        )
        .reverse();
      const page = paginate(request.url, context.baseUrl, listed.length, (offset, limit) =>
        listed.slice(offset, offset + limit).map((issue) => restIssue(repo, issue)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
    new RegExp(`^/repos/${segment}/${segment}/issues/(\\d+)$`),
    (request, context) => {
      const repo = repositoryOf(request, context);
      const issue =
        repo &&
        deliveryOf(context.dataset, repo).issues.find(
          (found) => found.number === Number(request.params[2]),
        );
      return repo && issue ? { status: 200, body: restIssue(repo, issue) } : notFound;
    },
  ],
  ...(['organization-1-day', 'users-1-day'] as const).map(
    (report): Route => [
      'GET',
      new RegExp(`^/orgs/${segment}/copilot/metrics/reports/${report}$`),
      (request, context) =>
        context.copilot.reportLinks(request.params[0] ?? '', report, request.url, context.baseUrl),
    ],
  ),
  [
    'GET',
    /^\/rate_limit$/,
    (request, context) => {
      const { core, graphql } = context.rateLimits(request.installationId);
      return { status: 200, body: restRateLimit(core, graphql) };
    },
  ],
];
