// `lessons subscribe <url>`, `lessons subscriptions` and `lessons unsubscribe <url>` (Dutch:
// `lessen abonneren`, `lessen abonnementen`, `lessen opzeggen`), in chat for the Leerlus
// admin and in the CLI. Subscribing pins the publisher's key: its fingerprint is shown so the
// admin can check it with the other organisation before trusting what arrives.

import { formatDateTime } from "../../domain/format-date.ts";
import { ERROR_CODES, type ErrorCode } from "../../domain/leerlus-error.ts";
import { fingerprintText } from "../../domain/lesson-feed.ts";
import type { Locale } from "../../domain/locale.ts";
import { type Message, type Text, withUserText } from "../../domain/message.ts";
import type { LessonExchange, Subscription } from "../../ports/lesson-feed.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { reply } from "../messages/reply.ts";

const FEED_ERRORS: readonly ErrorCode[] = ERROR_CODES.filter((code) => code.startsWith("FEED_"));

export type SubscribeResult =
  | { ok: true; created: boolean; url: string; fingerprint: string }
  | { ok: false; url: string; reason: string };

/** Without a dispatcher (the CLI) the first read waits for the worker's next reconcile. */
type ExchangeDeps = Pick<Deps, "prompts"> & Partial<Pick<Deps, "dispatcher">> & { exchange: LessonExchange };

/** A stored error `CODE: detail` in the reader's words. */
export function feedErrorText(deps: Pick<Deps, "prompts">, locale: Locale, error: string): string {
  const [code = "", ...rest] = error.split(": ");
  const known = FEED_ERRORS.includes(code as ErrorCode) ? code : "FEED_UNREACHABLE";
  return deps.prompts.t(locale, `lessons.exchange.errors.${known}`, { detail: rest.join(": ") || code });
}

export async function subscribeToFeed(
  deps: ExchangeDeps,
  organisationId: string,
  text: string,
  locale: Locale,
): Promise<SubscribeResult> {
  let url: string;
  try {
    url = new URL(text.trim()).href;
  } catch {
    return { ok: false, url: text.trim(), reason: feedErrorText(deps, locale, "FEED_ADDRESS_REFUSED: URL") };
  }
  const key = await deps.exchange.client.fetchKey(url);
  if (!key.ok) return { ok: false, url, reason: feedErrorText(deps, locale, key.error.message) };
  const saved = await deps.exchange.store.subscribe({ organisationId, url, ...key.key, nextUrl: url });
  if (saved.created) await deps.dispatcher?.pullLessonFeed(saved.id);
  const existing = saved.created ? null : await deps.exchange.store.subscription(saved.id);
  return { ok: true, created: saved.created, url, fingerprint: fingerprintText(existing?.keyId ?? key.key.keyId) };
}

/** One subscription; its address and an error's details (which may quote it) stay inert. */
export function subscriptionLine(deps: Pick<Deps, "prompts">, locale: Locale, subscription: Subscription): Text {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(locale, key, vars);
  const state = subscription.lastError
    ? t("lessons.exchange.state-failing", {
        failures: subscription.failures,
        retry: formatDateTime(subscription.nextAttemptAt, locale),
        reason: feedErrorText(deps, locale, subscription.lastError),
      })
    : subscription.lastPulledAt
      ? t("lessons.exchange.state-ok", { when: formatDateTime(subscription.lastPulledAt, locale) })
      : t("lessons.exchange.state-new");
  const vars = { count: subscription.lessons, fingerprint: fingerprintText(subscription.keyId) };
  return withUserText(
    (slots) => t("lessons.exchange.line", { ...vars, state, ...slots }),
    subscription.lastError ? { url: subscription.url, state } : { url: subscription.url },
  );
}

/** The chat side: admins only; URLs and reasons are shown as inert user text. */
export async function feedSubscriptionCommand(
  deps: Deps,
  person: PersonRecord,
  command: { action: "subscribe" | "unsubscribe"; url: string } | { action: "list" },
  _where: Address,
): Promise<Message[]> {
  const { prompts } = deps;
  const exchange = deps.exchange;
  if (!person.roles.includes("admin") || !exchange) {
    return [reply(prompts, person.locale, "lessons.exchange.admin-only")];
  }
  if (command.action === "list") return [await subscriptionsMessage({ ...deps, exchange }, person)];
  if (command.url.trim() === "") return [reply(prompts, person.locale, "lessons.exchange.usage")];
  if (command.action === "unsubscribe") {
    const url = command.url.trim();
    const removed =
      (await exchange.store.unsubscribe(person.organisationId, url)) ||
      (URL.canParse(url) && (await exchange.store.unsubscribe(person.organisationId, new URL(url).href)));
    return [
      reply(
        prompts,
        person.locale,
        removed ? "lessons.exchange.unsubscribed" : "lessons.exchange.not-subscribed",
        {},
        {
          url: url.slice(0, 300),
        },
      ),
    ];
  }
  const result = await subscribeToFeed({ ...deps, exchange }, person.organisationId, command.url, person.locale);
  if (!result.ok) {
    return [
      reply(
        prompts,
        person.locale,
        "lessons.exchange.refused",
        {},
        { url: result.url.slice(0, 300), reason: result.reason },
      ),
    ];
  }
  const key = result.created ? "lessons.exchange.subscribed" : "lessons.exchange.already";
  return [reply(prompts, person.locale, key, { fingerprint: result.fingerprint }, { url: result.url })];
}

async function subscriptionsMessage(deps: Deps & { exchange: LessonExchange }, person: PersonRecord): Promise<Message> {
  const { prompts, exchange } = deps;
  const t = (key: string, vars?: Record<string, string>) => prompts.t(person.locale, key, vars);
  const subscriptions = await exchange.store.subscriptions(person.organisationId);
  const own = withUserText((slots) => t("lessons.exchange.own-feed", slots), {
    url: exchange.feedUrl(person.organisationId),
    fingerprint: await exchange.fingerprint(),
  });
  const items: Text[] = subscriptions.map((subscription) => subscriptionLine(deps, person.locale, subscription));
  return {
    fallback: t("lessons.exchange.heading"),
    blocks: [
      { type: "heading", text: [t("lessons.exchange.heading")] },
      items.length > 0 ? { type: "list", items } : { type: "paragraph", text: [t("lessons.exchange.none")] },
      { type: "context", text: own },
    ],
  };
}
