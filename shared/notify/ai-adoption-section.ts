import type { AiAdoption, GroupFlow } from '../metrics/ai-adoption.ts';
import type { CopilotWeek } from '../metrics/copilot-usage.ts';
import type { CopilotAccessRecord } from '../store/copilot-usage.ts';
import { formatValue } from '../views/format.ts';
import { copilotRefusal } from '../views/weekly-metrics-view.ts';
import { type Column, type DigestSection, tableSection } from './email-parts.ts';

const columns: Column[] = [
  { title: 'Merged PRs' },
  { title: 'Count', align: 'right' },
  { title: 'Cycle (median)', align: 'right' },
  { title: 'Coding', align: 'right' },
  { title: 'Pickup', align: 'right' },
  { title: 'Review', align: 'right' },
  { title: 'Size (lines)', align: 'right' },
  { title: 'Rework/PR', align: 'right' },
];

const groupRow = (label: string, group: GroupFlow) => [
  label,
  String(group.merged),
  formatValue(group.cycleTime?.median ?? null, 'h'),
  formatValue(group.codingTime?.median ?? null, 'h'),
  formatValue(group.pickupTime?.median ?? null, 'h'),
  formatValue(group.reviewTime?.median ?? null, 'h'),
  formatValue(group.medianLinesChanged, ''),
  formatValue(group.reworkCommitsPerMergedPr, ''),
];

function copilotLines(copilot: CopilotWeek, activeAuthorsShare: number | null): string[] {
  const people =
    copilot.activeUsers === null
      ? []
      : [
          `${copilot.activeUsers} people used Copilot (${copilot.engagedUsers} engaged: prompted or accepted code; ${copilot.chatUsers} in chat, ${copilot.agentUsers} in agent mode).`,
        ];
  return [
    ...people,
    `${formatValue(copilot.acceptanceRate, '%')} of code suggestions accepted (${copilot.codeAcceptances} of ${copilot.codeSuggestions}); ${copilot.linesAccepted} of ${copilot.linesSuggested} suggested lines added.`,
    `Copilot opened ${copilot.pullRequestsCreatedByCopilot} and reviewed ${copilot.pullRequestsReviewedByCopilot} pull requests.`,
    ...(activeAuthorsShare === null
      ? []
      : [
          `${formatValue(activeAuthorsShare, '%')} of merged PRs were by authors who used Copilot that week.`,
        ]),
  ];
}

/**
 * The digest's "AI adoption" section: AI-assisted merged PRs against the
 * rest, and Copilot's use that week. Left out when there is nothing to say:
 * no AI-assisted PR, no Copilot report, no refusal and no "no data" to explain.
 */
export function aiAdoptionSection(
  adoption: AiAdoption | null,
  access: CopilotAccessRecord | null,
): DigestSection | null {
  const refusal = copilotRefusal(access);
  const copilot = adoption?.copilot ?? null;
  const noData =
    adoption && !copilot && adoption.copilotNoDataDays > 0
      ? 'GitHub reported no Copilot usage this week: it reports none for fewer than five Copilot users, or a day nobody used it.'
      : null;
  if (!adoption || (adoption.aiAssisted.merged === 0 && !copilot && !refusal && !noData))
    return null;
  const rows = [
    groupRow('AI-assisted', adoption.aiAssisted),
    groupRow('Not AI-assisted', adoption.notAiAssisted),
  ];
  const lines = [
    ...(copilot ? copilotLines(copilot, adoption.copilotActiveAuthorsShare) : []),
    ...(refusal ? [refusal] : noData ? [noData] : []),
  ];
  return tableSection('AI adoption', columns, rows, lines);
}
