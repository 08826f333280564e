import type { SentMessageUpdater } from "../ports/chat-adapter.ts";
import type { Clock } from "../ports/clock.ts";
import type { Dispatcher } from "../ports/dispatcher.ts";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";
import type { LessonExchange } from "../ports/lesson-feed.ts";
import type { Logger } from "../ports/logger.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { PrivacyStore } from "../ports/privacy-store.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import type { Stores, UnitOfWork } from "../ports/stores.ts";
import type { TrackerClients } from "../ports/tracker.ts";

/** Everything a use case may touch, wired once in the composition root. */
export type Deps = {
  stores: Stores;
  /** Outside the unit of work: export and erasure run their own transactions. */
  privacy: PrivacyStore;
  unitOfWork: UnitOfWork;
  prompts: PromptCatalog;
  clock: Clock;
  dispatcher: Dispatcher;
  holidays: HolidayCalendar;
  logger: Logger;
  /** Keys anonymous responses so one person's answers group without naming them. */
  secret: string;
  /** Where links in messages point, e.g. http://localhost:3000. */
  publicUrl: string;
  /** The lesson exchange between installations; absent where a process does not serve it. */
  exchange?: LessonExchange;
  /** The teams' trackers (Jira, Azure DevOps); plain http only for local stand-ins. */
  trackers: { clients: TrackerClients; allowHttp: boolean };
  /** Mail to guests (SMTP_URL); absent where none is configured: guests are then not mailed. */
  mailer?: Mailer;
  /** Rewrites sent messages in place; absent where no chat platform is wired (the CLI). */
  updateSent?: SentMessageUpdater;
};
