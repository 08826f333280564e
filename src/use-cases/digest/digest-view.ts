// A stored digest in one language: every word resolved, ready for the chat message,
// the page, Markdown and PDF. Lesson texts are marked as written by people (`user`).
// Each section is worded in digest-sections.ts or loop-sections.ts; this file orders them.
import type { DigestContent } from "../../domain/digest-content.ts";
import type { Locale } from "../../domain/locale.ts";
import type { DigestView, LiveLoop } from "../../ports/digest-view.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { digestHeadlines, participationNow } from "./digest-headlines.ts";
import {
  followThroughSection,
  highlightsSection,
  learningSection,
  participationOverTimeSection,
  participationSection,
  recurringSection,
  stalledSection,
  themesOverTimeSection,
  themesSection,
} from "./digest-sections.ts";
import { digestWords } from "./digest-words.ts";
import { interventionsSection, loopSection } from "./loop-sections.ts";
import { teamPulseSection } from "./pulse-section.ts";
import { sectorSections } from "./sector-participation.ts";

export function digestView(input: {
  prompts: PromptCatalog;
  locale: Locale;
  organisationName: string;
  content: DigestContent;
  /** What advisers marked since the digest was made, with their own interventions and project names. */
  live?: LiveLoop;
}): DigestView {
  const { prompts, locale, content } = input;
  const words = digestWords(prompts, locale, content);
  const { t, day } = words;
  const periodVars = { from: day(content.periodStart), to: day(content.periodEnd) };
  return {
    locale,
    title: prompts.t(locale, "digest.heading", { organisation: input.organisationName }),
    period: periodVars.from === periodVars.to ? t("page.period-one-day", periodVars) : t("page.period", periodVars),
    headlines: digestHeadlines(words),
    privacyNote: t("privacy-note", { count: content.minGroupSize }),
    sections: [
      highlightsSection(words),
      themesSection(words),
      recurringSection(words),
      themesOverTimeSection(words),
      participationSection(words),
      ...sectorSections(prompts, locale, content),
      participationOverTimeSection(words),
      followThroughSection(words),
      learningSection(words),
      ...teamPulseSection({ prompts, locale, content, periodLabels: words.periodLabels }),
      stalledSection(words),
      interventionsSection(words, input.live),
      loopSection(words, input.live),
    ],
    figures: {
      lessons: content.lessonCount,
      recurring: content.recurring.length,
      participation: participationNow(content),
      stalled: content.stalled.length,
    },
  };
}
