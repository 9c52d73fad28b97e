import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { type GitHubRepository, type GitHubUser, githubTime } from '../github/webhook-payloads.ts';
import { type DeploymentSource, defaultProductionPattern } from '../metrics/deployment.ts';
import { defaultIncidentRules } from '../metrics/production-history.ts';
import { table } from '../resources.ts';
import type { CopilotAccessRecord } from './copilot-usage.ts';
import { installationListingPartition, keys, listingIndexKeys, listingIndexName } from './keys.ts';
import type { Recipient } from './recipient.ts';
import {
  conditionalWrite,
  ignoreConditionFailure,
  isConditionFailure,
  notNewerThan,
  queryAll,
  type TableRef,
} from './table.ts';
import type { TeamsAccessRecord } from './teams.ts';
import type { CountTime, StoredCalendar } from './working-calendars.ts';

/** Someone who receives an installation's emails, and the secret of their unsubscribe link. */
export type InstallationStatus = 'active' | 'suspended' | 'deleted';

export interface InstallationRecord {
  installationId: number;
  accountLogin: string;
  accountId: number;
  accountType: string;
  repositorySelection?: string;
  status: InstallationStatus;
  updatedAt: string;
  /** IANA time zone its weeks are cut in (`npm run settings`); UTC when unset. */
  timeZone?: string;
  /** Whether the dashboard shows per-person figures (`npm run settings`); off unless turned on. */
  showAuthors?: boolean;
  /** What counts as a deployment (`npm run settings`); GitHub's deployments when unset. */
  deploymentSource?: DeploymentSource;
  /** Which environments are production, a case-insensitive pattern (`npm run settings`). */
  productionEnvironments?: string;
  /** Which issue labels mark an incident, a case-insensitive pattern (`npm run settings`). */
  incidentLabels?: string;
  /** How long after a deployment an incident that names none still counts against it. */
  incidentWindowHours?: number;
  /** Who gets its emails (`npm run settings`); none means no email. */
  recipients?: Recipient[];
  /** Bumped by every settings change, which is conditional on it. */
  settingsVersion?: number;
  /** GitHub's `updated_at` of the event that set `status`: an older event changes nothing. */
  statusChangedAt?: string;
  /** GitHub's `updated_at` of the newest event its account and selection are from. */
  factsChangedAt?: string;
  /** Whether its Copilot usage can be read, as GitHub last answered (`copilot-usage.ts`). */
  copilot?: CopilotAccessRecord;
  /** The working calendar its durations are counted on in working hours too (`working-calendars.ts`). */
  workingCalendar?: StoredCalendar;
  /** Which clock the dashboard and digest show its durations in; calendar hours when unset. */
  countTime?: CountTime;
  /** Teams with a time zone of their own, by team id (`team-settings.ts`): whose Monday morning to look for. */
  teamTimeZones?: Record<string, string>;
  /** Whether its GitHub teams can be read, as last found (`teams.ts`): none recorded until first read. */
  teams?: TeamsAccessRecord;
}

/** The time zone an installation's weeks are cut in: its setting, or UTC. */
export function installationTimeZone(installation: Pick<InstallationRecord, 'timeZone'>): string {
  return installation.timeZone ?? 'UTC';
}

/** How an installation's delivery figures read its deployments and issues: its settings, or the defaults. */
export function deliveryRules(
  installation: Pick<
    InstallationRecord,
    'deploymentSource' | 'productionEnvironments' | 'incidentLabels' | 'incidentWindowHours'
  >,
) {
  return {
    source: installation.deploymentSource ?? 'deployments',
    productionPattern: installation.productionEnvironments ?? defaultProductionPattern,
    incidentRules: {
      labelPattern: installation.incidentLabels ?? defaultIncidentRules.labelPattern,
      windowHours: installation.incidentWindowHours ?? defaultIncidentRules.windowHours,
    },
  };
}

export type DeliveryRules = ReturnType<typeof deliveryRules>;

export interface RepositoryRecord {
  installationId: number;
  repositoryId: number;
  fullName: string;
  name: string;
  private: boolean;
  active: boolean;
  updatedAt: string;
  /** When it was taken off the App; its data goes once the retention period has passed. */
  removedAt?: string;
  /** The installation's `updated_at` as the event that last added or removed it showed it. */
  selectionChangedAt?: string;
  /** Its own `updated_at` as the event that last named it showed it. */
  nameChangedAt?: string;
}

export interface InstallationFacts {
  id: number;
  account: GitHubUser;
  repository_selection?: string | undefined;
  updated_at?: string | number | null | undefined;
}

/** Parallel writes per event: enough to be quick, few enough not to throttle. */
const writeConcurrency = 8;

/**
 * Records an installation's facts. With a status, sets it (created, suspend,
 * unsuspend, deleted); without one, keeps the stored status and defaults a new
 * installation to active, so a late `installation_repositories` event never
 * revives a suspended installation. What orders them is GitHub's `updated_at`
 * of the installation as the event showed it: the facts (the account's login,
 * the repository selection) as of the newest event seen (`factsChangedAt`),
 * the status as of the newest event that set one (`statusChangedAt`) — two
 * keys, as an event without a status says nothing of it — and an older event
 * changes neither. `deleted` is final, whatever the time its event carries: a
 * reinstall is a new installation id, and replayed deliveries cannot bring an
 * uninstalled organisation back. Returns the status now stored.
 */
export async function recordInstallation(
  ref: TableRef,
  installation: InstallationFacts,
  now: Date,
  status?: InstallationStatus,
): Promise<InstallationStatus> {
  const eventAt = githubTime(installation.updated_at);
  const statusAt = status === 'deleted' ? undefined : eventAt;
  try {
    return await writeInstallation(ref, installation, now, {
      facts: true,
      eventAt,
      status,
      statusAt,
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  // Its facts are newer than the event's; its status may not be.
  if (status && eventAt) {
    try {
      return await writeInstallation(ref, installation, now, { facts: false, status, statusAt });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return (await installationStatus(ref, installation.id)) as InstallationStatus;
}

const notDeleted = '(attribute_not_exists(#status) OR #status <> :deleted)';

/**
 * One write of an installation: its `facts` (as of `eventAt`, when given) or
 * not, and `status` (as of `statusAt`, when given); throws DynamoDB's
 * condition failure when it is deleted, or what it writes is older than stored.
 */
async function writeInstallation(
  ref: TableRef,
  installation: InstallationFacts,
  now: Date,
  write: {
    facts: boolean;
    eventAt?: string | undefined;
    status?: InstallationStatus | undefined;
    statusAt?: string | undefined;
  },
): Promise<InstallationStatus> {
  const { facts, eventAt, status, statusAt } = write;
  const listing = keys.installationListing(installation.id);
  const set = [
    'installationId = :id',
    'updatedAt = :now',
    '#listPk = :listPk',
    '#listSk = :listSk',
    `#status = ${status ? ':status' : 'if_not_exists(#status, :status)'}`,
    ...(facts
      ? [
          'accountLogin = :login',
          'accountId = :accountId',
          'accountType = :accountType',
          'repositorySelection = :selection',
        ]
      : []),
    ...(facts && eventAt ? ['factsChangedAt = :eventAt'] : []),
    ...(status && statusAt ? ['statusChangedAt = :statusAt'] : []),
  ];
  const conditions = [
    notDeleted,
    ...(facts && eventAt ? [notNewerThan('factsChangedAt', ':eventAt')] : []),
    ...(status && statusAt ? [notNewerThan('statusChangedAt', ':statusAt')] : []),
  ];
  const result = await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.installation(installation.id),
      UpdateExpression: `SET ${set.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: {
        '#status': 'status',
        '#listPk': listingIndexKeys.partitionKey,
        '#listSk': listingIndexKeys.sortKey,
      },
      ExpressionAttributeValues: {
        ':id': installation.id,
        ':now': now.toISOString(),
        ':status': status ?? 'active',
        ':deleted': 'deleted',
        ':listPk': listing[listingIndexKeys.partitionKey],
        ':listSk': listing[listingIndexKeys.sortKey],
        ...(facts
          ? {
              ':login': installation.account.login,
              ':accountId': installation.account.id,
              ':accountType': installation.account.type,
              ':selection': installation.repository_selection ?? 'selected',
            }
          : {}),
        ...(facts && eventAt ? { ':eventAt': eventAt } : {}),
        ...(status && statusAt ? { ':statusAt': statusAt } : {}),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return (result.Attributes as InstallationRecord).status;
}

export async function getInstallation(
  { db, tableName }: TableRef,
  installationId: number,
): Promise<InstallationRecord | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.installation(installationId) }),
  );
  return Item as InstallationRecord | undefined;
}

export async function installationStatus(
  ref: TableRef,
  installationId: number,
): Promise<InstallationStatus | undefined> {
  return (await getInstallation(ref, installationId))?.status;
}

/**
 * What orders an installation's repository selection: GitHub's `updated_at`
 * of the installation as the event that added or removed a repository
 * showed it, kept on the repository as `selectionChangedAt`; an older event
 * changes nothing, an equal one applies (a redelivery after a crash). The
 * payloads carry no time per repository, and none of the delivery itself in
 * the signed body (a header is not signed, and GitHub's redelivery keeps the
 * delivery id), so the installation's time is the only one to trust. Without
 * it (no payload GitHub sends today), the event applies as it comes.
 */
const selectionWrite = (selectionAt: string | undefined) =>
  orderedWrite('selectionChangedAt', ':selectionAt', selectionAt);

/**
 * What orders the names a repository's events give it: GitHub's
 * `updated_at` of the repository as the event showed it (a rename moves
 * it), kept as `nameChangedAt` by the writes that name it from an event
 * about it, so an event sent before a rename cannot name it back. Without
 * it (an installation event's repositories carry none), the name applies.
 */
const nameWrite = (nameAt: string | undefined) => orderedWrite('nameChangedAt', ':nameAt', nameAt);

/** The parts of a repository write that keep `attribute` at the event's time `at`, and hold only if it is not older. */
function orderedWrite(attribute: string, placeholder: string, at: string | undefined) {
  return at
    ? {
        set: `, ${attribute} = ${placeholder}`,
        condition: notNewerThan(attribute, placeholder),
        values: { [placeholder]: at },
      }
    : { set: '', condition: undefined, values: {} };
}

/** The placeholders every write of a repository's item sets from GitHub's copy of it. */
const repositoryValues = (installationId: number, repository: GitHubRepository, now: Date) => ({
  ':inst': installationId,
  ':id': repository.id,
  ':fullName': repository.full_name,
  ':name': repository.name,
  ':private': repository.private,
  ':now': now.toISOString(),
});

/**
 * The write that records a repository: `add` makes it active (it was added to
 * the App, at `selectionAt`), `name` records it if new, or refreshes a name
 * GitHub changed (as of `nameAt`), leaving whether it is active as stored.
 * Sync state on it stays intact.
 */
function repositoryWrite(
  tableName: string,
  installationId: number,
  repository: GitHubRepository,
  now: Date,
  mode: { add: string | undefined } | { name: string | undefined },
): UpdateCommand {
  const selection = 'add' in mode ? selectionWrite(mode.add) : undefined;
  const naming = nameWrite('name' in mode ? mode.name : undefined);
  return new UpdateCommand({
    TableName: tableName,
    Key: keys.repository(installationId, repository.id),
    UpdateExpression: `SET installationId = :inst, repositoryId = :id, fullName = :fullName,
      #name = :name, #private = :private, updatedAt = :now${selection?.set ?? naming.set},
      active = ${selection ? ':true REMOVE removedAt' : 'if_not_exists(active, :true)'}`,
    ...(selection
      ? { ConditionExpression: selection.condition }
      : {
          ConditionExpression: [
            '(attribute_not_exists(fullName) OR fullName <> :fullName)',
            ...(naming.condition ? [naming.condition] : []),
          ].join(' AND '),
          ReturnValues: 'UPDATED_OLD',
        }),
    ExpressionAttributeNames: { '#name': 'name', '#private': 'private' },
    ExpressionAttributeValues: {
      ...repositoryValues(installationId, repository, now),
      ':true': true,
      ...selection?.values,
      ...naming.values,
    },
  });
}

/**
 * Upserts repositories added to the App at `selectionAt` (the installation's
 * `updated_at`) as active, leaving any sync state stored on them intact.
 * Returns those recorded: not one removed by a newer event.
 */
export async function recordRepositories(
  ref: TableRef,
  installationId: number,
  repositories: readonly GitHubRepository[],
  now: Date,
  selectionAt?: string,
): Promise<GitHubRepository[]> {
  const recorded = await mapWithConcurrency(repositories, writeConcurrency, async (repository) => {
    try {
      await ref.db.send(
        repositoryWrite(ref.tableName, installationId, repository, now, { add: selectionAt }),
      );
      return [repository];
    } catch (error) {
      if (isConditionFailure(error)) return [];
      throw error;
    }
  });
  return recorded.flat();
}

/**
 * Records a repository as GitHub names it, as of `nameAt` (the repository's
 * `updated_at`): `new` when it was not recorded (then active), `renamed` when
 * the stored name was another, `same` when nothing changed (the name, or an
 * older one than stored). One conditional write.
 */
export async function recordRepositoryName(
  ref: TableRef,
  installationId: number,
  repository: GitHubRepository,
  now: Date,
  nameAt: string | undefined,
): Promise<'new' | 'renamed' | 'same'> {
  try {
    const { Attributes } = await ref.db.send(
      repositoryWrite(ref.tableName, installationId, repository, now, { name: nameAt }),
    );
    return Attributes?.fullName ? 'renamed' : 'new';
  } catch (error) {
    if (isConditionFailure(error)) return 'same';
    throw error;
  }
}

/**
 * Renames a recorded repository (GitHub's rename or transfer, as of `nameAt`);
 * false when not recorded, unchanged, or named by a newer event.
 */
export async function renameRepository(
  ref: TableRef,
  installationId: number,
  repository: Pick<GitHubRepository, 'id' | 'name' | 'full_name'>,
  now: Date,
  nameAt: string | undefined,
): Promise<boolean> {
  const naming = nameWrite(nameAt);
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.repository(installationId, repository.id),
        UpdateExpression: `SET fullName = :fullName, #name = :name, updatedAt = :now${naming.set}`,
        ConditionExpression: [
          'attribute_exists(fullName) AND fullName <> :fullName',
          ...(naming.condition ? [naming.condition] : []),
        ].join(' AND '),
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':fullName': repository.full_name,
          ':name': repository.name,
          ':now': now.toISOString(),
          ...naming.values,
        },
      }),
    ),
  );
}

/**
 * Marks repositories taken off the App at `selectionAt` inactive: they stay
 * visible but get no further sync work, and their data goes once the
 * retention period has passed since the first removal. One never recorded
 * (its `added` was lost, or is late) is recorded so, for the same reason: an
 * older `added` arriving after changes nothing.
 */
export async function deactivateRepositories(
  ref: TableRef,
  installationId: number,
  repositories: readonly GitHubRepository[],
  now: Date,
  selectionAt?: string,
): Promise<void> {
  const selection = selectionWrite(selectionAt);
  await mapWithConcurrency(repositories, writeConcurrency, (repository) =>
    ref.db
      .send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repository.id),
          UpdateExpression: `SET installationId = :inst, repositoryId = :id,
            fullName = if_not_exists(fullName, :fullName), #name = if_not_exists(#name, :name),
            #private = if_not_exists(#private, :private), active = :false, updatedAt = :now,
            removedAt = if_not_exists(removedAt, :now)${selection.set}`,
          ConditionExpression: selection.condition,
          ExpressionAttributeNames: { '#name': 'name', '#private': 'private' },
          ExpressionAttributeValues: {
            ...repositoryValues(installationId, repository, now),
            ':false': false,
            ...selection.values,
          },
        }),
      )
      .catch(ignoreConditionFailure),
  );
}

export async function listRepositories(
  ref: TableRef,
  installationId: number,
  /** Read every write acknowledged before: what admission counts must not miss a run just ended. */
  options: { consistent?: boolean } = {},
): Promise<RepositoryRecord[]> {
  const { partition, sortPrefix } = keys.repositoryPrefix(installationId);
  return queryAll<RepositoryRecord>(ref, {
    ConsistentRead: options.consistent,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
}

export async function listInstallations(ref: TableRef): Promise<InstallationRecord[]> {
  return queryAll<InstallationRecord>(ref, {
    IndexName: listingIndexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': listingIndexKeys.partitionKey },
    ExpressionAttributeValues: { ':pk': installationListingPartition },
  });
}
