import { formatDateTime, formatTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import { type Block, type Message, type Text, withUserText } from "../../domain/message.ts";
import { minutesLeft } from "../../domain/sense-making.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { SenseGroupRecord } from "../../ports/sense-store.ts";

export const SENSE_VOTE = "sense.vote";
export const SENSE_UNVOTE = "sense.unvote";
/** The lead's *Next* in a live walk-through; its value is `cycleId:step`, so a replay counts once. */
export const SENSE_NEXT = "sense.next";

/** The channel message's outbox key: one per cycle and platform, rewritten in place. */
export const senseKey = (cycleId: string, platform: string) => `sense:${cycleId}:${platform}`;
export const senseKeyPrefix = (cycleId: string) => `sense:${cycleId}:`;

export type SenseResult = {
  /** How many people voted. */
  voters: number;
  /** Totals are shown only when at least the minimum group size voted. */
  shown: boolean;
  minGroupSize: number;
  /** Groups (ids) that became proposed actions. */
  proposed: ReadonlySet<string>;
  /** Too few voters: how many answers to the action questions became proposed actions instead. */
  fallbackActions: number;
};

export type SenseView = {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  sequence: number;
  timezone: string;
  groups: readonly SenseGroupRecord[];
  /** Votes each member may spend (never more than there are groups). */
  votes: number;
  votingClosesAt: Date;
  /** Absent while the voting is open. */
  result?: SenseResult;
  /** Run live (`retro live`): a countdown from `now` while open, then a walk-through at `step`. */
  live?: { cycleId: string; now: Date; step: number };
};

/** A group's theme as the team reads it. */
export function themeLabel(prompts: PromptCatalog, locale: Locale, themeId: string | null): string {
  if (!themeId) return prompts.t(locale, "sense.group.no-theme");
  return prompts.themes(locale).find((theme) => theme.id === themeId)?.label ?? themeId;
}

/** The name of a group as the team sees it: its number and theme. */
function groupTitle(prompts: PromptCatalog, locale: Locale, group: SenseGroupRecord): string {
  return prompts.t(locale, "sense.group.title", {
    number: group.position,
    theme: themeLabel(prompts, locale, group.themeId),
  });
}

/** The answers of a group, numbered "2.1", "2.2" so the lead can name one; never who wrote them. */
function answerList(group: SenseGroupRecord): Block {
  return {
    type: "list",
    items: group.answers.map((answer, index): Text => [`${group.position}.${index + 1}  `, { user: answer.text }]),
  };
}

/**
 * The retro's answers grouped by theme, posted to the team channel: while the voting is open
 * each group has a vote button (no totals: the votes are secret until the end); once it
 * closes, the groups ranked by votes, with the ones that became proposed actions marked.
 */
export function senseMessage(view: SenseView): Message {
  const t = (key: string, vars?: Record<string, string | number>) => view.prompts.t(view.locale, key, vars);
  const headingKey = view.result ? "sense.result.heading" : "sense.heading";
  const heading: Block = {
    type: "heading",
    text: withUserText((user) => t(headingKey, { ...user, sequence: view.sequence }), { project: view.projectName }),
  };
  const fallback = t(headingKey, { project: view.projectName, sequence: view.sequence });
  if (!view.result) {
    const closes = formatDateTime(view.votingClosesAt, view.locale, view.timezone);
    const blocks: Block[] = [heading, { type: "paragraph", text: [t("sense.intro", { count: view.votes, closes })] }];
    if (view.live) blocks.push(countdown(view, view.live.now));
    for (const group of view.groups) {
      blocks.push({
        type: "heading",
        text: [
          groupTitle(view.prompts, view.locale, group),
          " ",
          t("sense.group.answers", { count: group.answers.length }),
        ],
      });
      blocks.push(answerList(group));
      blocks.push({
        type: "actions",
        item: `sense-group:${group.id}`,
        locale: view.locale,
        buttons: [
          {
            actionId: SENSE_VOTE,
            label: t("sense.vote", { number: group.position }),
            value: group.id,
            style: "primary",
          },
        ],
      });
    }
    blocks.push({ type: "context", text: [t("sense.lead-hint")] });
    return { fallback, blocks, locale: view.locale };
  }
  const { result } = view;
  const walk = view.live && result.shown ? walkThrough(view, view.live, result) : null;
  if (walk) return { fallback, blocks: [heading, ...walk], locale: view.locale };
  const blocks: Block[] = [
    heading,
    {
      type: "paragraph",
      text: [
        result.shown
          ? t("sense.result.voters", { count: result.voters })
          : t("sense.result.too-few", { minimum: result.minGroupSize }),
      ],
    },
  ];
  // Too few voters: no totals and no ranking, which would show how those few voted.
  const ordered = result.shown
    ? [...view.groups].sort((a, b) => b.votes - a.votes || a.position - b.position)
    : view.groups;
  for (const group of ordered) {
    const title = groupTitle(view.prompts, view.locale, group);
    blocks.push({
      type: "heading",
      text: result.shown ? [title, " ", t("sense.result.votes", { count: group.votes })] : [title],
    });
    blocks.push(answerList(group));
    if (result.proposed.has(group.id)) blocks.push({ type: "context", text: [t("sense.result.proposed")] });
  }
  const closing = !result.shown
    ? t("sense.result.fallback", { count: result.fallbackActions })
    : t(result.proposed.size > 0 ? "sense.result.next" : "sense.result.none", { count: result.proposed.size });
  blocks.push({ type: "context", text: [closing] });
  if (view.live && result.proposed.size > 0) blocks.push({ type: "context", text: [t("sense.live.done")] });
  return { fallback, blocks, locale: view.locale };
}

/** "Voting closes at 15:05 (5 min left)": rewritten once a minute by the project's tick. */
function countdown(view: SenseView, now: Date): Block {
  const at = formatTime(view.votingClosesAt, view.locale, view.timezone);
  return {
    type: "paragraph",
    text: [view.prompts.t(view.locale, "sense.live.countdown", { at, count: minutesLeft(view.votingClosesAt, now) })],
  };
}

/**
 * One of the top groups at a time, ranked by votes, with *Next* for the lead; null once the
 * walk-through went past the last one, when the whole result shows.
 */
function walkThrough(view: SenseView, live: NonNullable<SenseView["live"]>, result: SenseResult): Block[] | null {
  const t = (key: string, vars?: Record<string, string | number>) => view.prompts.t(view.locale, key, vars);
  const top = [...view.groups]
    .filter((group) => result.proposed.has(group.id))
    .sort((a, b) => b.votes - a.votes || a.position - b.position);
  const group = top[live.step];
  if (!group) return null;
  return [
    { type: "paragraph", text: [t("sense.live.walk", { index: live.step + 1, total: top.length })] },
    {
      type: "heading",
      text: [groupTitle(view.prompts, view.locale, group), " ", t("sense.result.votes", { count: group.votes })],
    },
    answerList(group),
    { type: "context", text: [t("sense.live.discuss")] },
    {
      type: "actions",
      item: `sense-live:${live.cycleId}`,
      locale: view.locale,
      buttons: [
        {
          actionId: SENSE_NEXT,
          label: t(live.step + 1 < top.length ? "sense.live.next" : "sense.live.finish"),
          value: `${live.cycleId}:${live.step}`,
          style: "primary",
        },
      ],
    },
  ];
}
