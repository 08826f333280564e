// The digest's headlines: the figures a reader checks first, each in one sentence.
import type { DigestContent } from "../../domain/digest-content.ts";
import { formatNumber } from "../../domain/format-number.ts";
import { type DigestWords, percent } from "./digest-words.ts";

/** This period's participation in percent; null when too few people were asked to show it. */
export function participationNow(content: DigestContent): number | null {
  const current = content.participationOverTime.at(-1);
  return current?.shown ? percent(current.answered, current.invited) : null;
}

export function digestHeadlines(words: DigestWords): string[] {
  const { t, content } = words;
  const participation = participationNow(content);
  const learningNow = content.learning.at(-1);
  const follow = content.followThrough.overall;
  return [
    t("headline.lessons", { count: content.lessonCount, previous: content.previousLessonCount }),
    t("headline.recurring", { count: content.recurring.length }),
    participation === null
      ? t("headline.participation-hidden")
      : t("headline.participation", { percent: participation }),
    !follow.shown
      ? t("headline.follow-through-hidden")
      : follow.reviewed === 0
        ? t("headline.follow-through-none")
        : t("headline.follow-through", { percent: percent(follow.done, follow.reviewed) }),
    learningNow?.shown
      ? t("headline.learning", { average: formatNumber(learningNow.average, words.locale) })
      : t("headline.learning-hidden"),
    t("headline.stalled", { count: content.stalled.length }),
  ];
}
