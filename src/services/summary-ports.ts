// What report generation needs from the outside world, as small interfaces: infra implements them
// (OpenAI, Telegram), tests drive the real implementations against fake servers.
import type { WeekStats } from './compute-week-stats.js';

export interface WrittenSummary {
  text: string;
  source: 'OPENAI' | 'OFFLINE';
  model: string | null;
}

export interface SummaryWriter {
  write(stats: WeekStats): Promise<WrittenSummary>;
}

export interface Messenger {
  /** Sends the text (split as needed); returns the ids of the messages sent. */
  send(text: string): Promise<number[]>;
}

/** Written from the figures alone, when no LLM is configured (the embedded default works end to end). */
export const offlineWriter: SummaryWriter = {
  async write(stats) {
    const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
    const delta =
      stats.averageStress !== null && stats.previousWeek.averageStress !== null
        ? ` (${stats.averageStress >= stats.previousWeek.averageStress ? '+' : ''}${(stats.averageStress - stats.previousWeek.averageStress).toFixed(2)} vs ${stats.previousWeek.week})`
        : '';
    const lines = [
      `Weekly summary ${stats.week}`,
      `Reports: ${stats.reportsSubmitted} of ${stats.activeUsers} active people (${pct(stats.submissionRate)}); ${stats.previousWeek.reportsSubmitted} the week before.`,
      `Average stress: ${stats.averageStress ?? 'n/a'}${delta}; ${stats.highStressReports} reports at 8 or more.`,
      `Average workdays: ${stats.averageWorkdays ?? 'n/a'}.`,
      `Hiring: ${stats.hr.interviews} interviews, ${stats.hr.offers} offers, ${stats.hr.hires} hires, ${stats.hr.attritions} departures.`,
      `Operations: ${stats.ops.ordersProcessed} orders, ${stats.ops.tasksCompleted} tasks, ${stats.ops.incidents} incidents, ${stats.ops.slaBreaches} SLA breaches.`,
    ];
    return { text: lines.join('\n'), source: 'OFFLINE', model: null };
  },
};
