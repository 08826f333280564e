// `leerlus lessons subscribe|subscriptions|unsubscribe --organisation <id> [<url>]`: the chat
// commands of the same names for whoever runs the installation. A new subscription is read
// by the worker from its next reconcile on (every few minutes).
import type { Locale } from "../domain/locale.ts";
import { plain } from "../domain/message.ts";
import type { LessonExchange } from "../ports/lesson-feed.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { subscribeToFeed, subscriptionLine } from "../use-cases/lessons/feed-subscriptions.ts";

export const FEED_SUBCOMMANDS = ["subscribe", "subscriptions", "unsubscribe"] as const;

export const LESSON_FEED_USAGE = `  lessons subscribe --organisation <id> <feed url>
            follow another installation's shared lessons; shows the publisher's key fingerprint to check
  lessons subscriptions --organisation <id>
            this organisation's feed address and key fingerprint, and each subscription's state
  lessons unsubscribe --organisation <id> <feed url>
            stop following a feed; the lessons that came from it are removed`;

type Output = { out: (text: string) => void; err: (text: string) => void };

export async function lessonFeedCommand(
  sub: (typeof FEED_SUBCOMMANDS)[number],
  url: string | undefined,
  organisation: { id: string; locale: Locale },
  input: Output & { prompts: PromptCatalog; exchange: LessonExchange },
): Promise<number> {
  const { prompts, exchange } = input;
  const locale = organisation.locale;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  if (sub === "subscriptions") {
    const subscriptions = await exchange.store.subscriptions(organisation.id);
    const lines = [
      t("lessons.exchange.own-feed", {
        url: exchange.feedUrl(organisation.id),
        fingerprint: await exchange.fingerprint(),
      }),
      "",
      ...(subscriptions.length > 0
        ? subscriptions.map((subscription) => plain(subscriptionLine({ prompts }, locale, subscription)))
        : [t("lessons.exchange.none")]),
    ];
    input.out(`${lines.join("\n")}\n`);
    return 0;
  }
  if (!url) {
    input.err(t("lessons.exchange.usage"));
    return 2;
  }
  if (sub === "unsubscribe") {
    const removed =
      (await exchange.store.unsubscribe(organisation.id, url)) ||
      (URL.canParse(url) && (await exchange.store.unsubscribe(organisation.id, new URL(url).href)));
    if (!removed) {
      input.err(t("lessons.exchange.not-subscribed", { url }));
      return 1;
    }
    input.out(`${t("lessons.exchange.unsubscribed", { url })}\n`);
    return 0;
  }
  const result = await subscribeToFeed({ prompts, exchange }, organisation.id, url, locale);
  if (!result.ok) {
    input.err(t("lessons.exchange.refused", { url: result.url, reason: result.reason }));
    return 1;
  }
  const key = result.created ? "lessons.exchange.subscribed" : "lessons.exchange.already";
  input.out(`${t(key, { url: result.url, fingerprint: result.fingerprint })}\n`);
  return 0;
}
