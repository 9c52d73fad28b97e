import type { AiSignal } from '../metrics/ai-assisted.ts';
import type { FailureReason } from '../metrics/production-history.ts';

/** Why a production deployment counts as failed, in words: the dashboard's lists and CSV say it so. */
export function failureWords(reason: FailureReason): string {
  switch (reason.kind) {
    case 'status':
      return `its last status was ${reason.state}`;
    case 'rollback':
      return `rolled back by deployment ${reason.deploymentId}`;
    case 'revert':
      return `#${reason.reverted}, which it shipped, was reverted by #${reason.revert}`;
    case 'incident':
      return `incident #${reason.number} “${reason.title}” blamed it`;
  }
}

/** What marked a pull request AI-assisted, in words; null when nothing did. */
export function aiSignalWords(signal: AiSignal | null): string | null {
  if (!signal) return null;
  switch (signal.kind) {
    case 'bot':
      return `opened by the AI agent ${signal.login}`;
    case 'trailer':
      return `a commit trailer names ${signal.assistant}`;
    case 'label':
      return `labelled ${signal.label}`;
  }
}
