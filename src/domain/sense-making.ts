// Making sense together: when a retro closes, its answers about learning and change are
// grouped by theme, the team spends a few secret votes on the groups, and the groups with the
// most votes become proposed team actions. Pure rules; no one's name is ever part of a group.
import { themeWords } from "./theme-tagging.ts";

/** Votes each member has unless the lead chooses otherwise (`votes N`). */
export const DEFAULT_VOTES = 3;
export const MAX_VOTES = 10;
/** How many of the groups with the most votes become proposed actions. */
export const TOP_GROUPS = 3;
/** How long the voting stays open after the groups are posted, unless everyone voted sooner. */
export const VOTING_HOURS = 24;

export type GroupableAnswer = { id: string; text: string; themes: readonly string[] };
export type AnswerGroup = { themeId: string | null; answerIds: string[] };

/** Words too common to tie two answers together. */
const MIN_SHARED_WORD = 5;

/**
 * Answers grouped by theme: every answer goes with its first (strongest) theme. Answers
 * without a theme go together when they share a longer word, else each stands alone. Groups
 * come largest first, then in the order their first answer came.
 */
export function groupAnswers(answers: readonly GroupableAnswer[]): AnswerGroup[] {
  const groups: AnswerGroup[] = [];
  const byTheme = new Map<string, AnswerGroup>();
  const loose: { group: AnswerGroup; words: Set<string> }[] = [];
  for (const answer of answers) {
    const theme = answer.themes[0];
    if (theme) {
      let group = byTheme.get(theme);
      if (!group) {
        group = { themeId: theme, answerIds: [] };
        byTheme.set(theme, group);
        groups.push(group);
      }
      group.answerIds.push(answer.id);
      continue;
    }
    const words = new Set(themeWords(answer.text).filter((word) => word.length >= MIN_SHARED_WORD));
    const near = loose.find((other) => [...words].some((word) => other.words.has(word)));
    if (near) {
      near.group.answerIds.push(answer.id);
      for (const word of words) near.words.add(word);
      continue;
    }
    const group: AnswerGroup = { themeId: null, answerIds: [answer.id] };
    loose.push({ group, words });
    groups.push(group);
  }
  return groups
    .map((group, order) => ({ group, order }))
    .sort((a, b) => b.group.answerIds.length - a.group.answerIds.length || a.order - b.order)
    .map(({ group }) => group);
}

/**
 * The answer that best stands for its group: the one sharing the most words with the others
 * (ties: the shorter, then the first in order). Used as the text of a proposed action.
 */
export function representativeAnswer<T extends { text: string }>(answers: readonly T[]): T | undefined {
  const words = answers.map((answer) => new Set(themeWords(answer.text).filter((word) => word.length >= 4)));
  let best: { answer: T; score: number } | undefined;
  answers.forEach((answer, index) => {
    const own = words[index] ?? new Set<string>();
    const score = words.reduce(
      (sum, other, at) => (at === index ? sum : sum + [...own].filter((word) => other.has(word)).length),
      0,
    );
    if (!best || score > best.score || (score === best.score && answer.text.length < best.answer.text.length)) {
      best = { answer, score };
    }
  });
  return best?.answer;
}

/** The votes a person can spend: one per group at most, so never more than there are groups. */
export function votesAvailable(votesEach: number, groups: number): number {
  return Math.max(0, Math.min(votesEach, groups));
}

export type VoteTally = { groupId: string; position: number; votes: number };

/** Groups by votes, most first; equal votes keep the order they were shown in. */
export function rankGroups(tallies: readonly VoteTally[]): VoteTally[] {
  return [...tallies].sort((a, b) => b.votes - a.votes || a.position - b.position);
}

/** The groups that become proposed actions: the `top` with the most votes, none without a vote. */
export function topGroups(tallies: readonly VoteTally[], top = TOP_GROUPS): VoteTally[] {
  return rankGroups(tallies)
    .filter((tally) => tally.votes > 0)
    .slice(0, top);
}

/**
 * Whether every invited person has spent every vote they have: the voting can close early.
 * `spent` counts votes per voter key; `invited` holds each invited person's voter key.
 */
export function everyoneVoted(
  invited: readonly string[],
  spent: ReadonlyMap<string, number>,
  available: number,
): boolean {
  return invited.length > 0 && available > 0 && invited.every((key) => (spent.get(key) ?? 0) >= available);
}

/** "2" (a group) or "2.3" (the third answer of group 2), as the lead types them. */
export function parseGroupRef(text: string): { group: number; answer: number | null } | null {
  const match = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!match) return null;
  return { group: Number(match[1]), answer: match[2] ? Number(match[2]) : null };
}

/** `retro live` without a number: minutes of voting during a meeting. */
export const DEFAULT_LIVE_MINUTES = 5;
export const MAX_LIVE_MINUTES = 30;

/** Whole minutes left until `closesAt`, rounded up, so "1 min" shows until the very end. */
export function minutesLeft(closesAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((closesAt.getTime() - now.getTime()) / 60_000));
}
