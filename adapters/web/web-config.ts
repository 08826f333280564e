import type { Locale } from "../../src/domain/locale.ts";
import type { Portfolio } from "../../src/domain/portfolio.ts";
import type { GuestPage } from "../../src/ports/guest-page.ts";
import type { LessonsPage } from "../../src/ports/lessons-page.ts";
import type { LinkSigner } from "../../src/ports/link-signer.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type {
  ConversationNotifier,
  WebDirectory,
  WebMessageStore,
  WebPerson,
} from "../../src/ports/web-message-store.ts";

/** Looks up page-chrome words; keys arrive fully qualified ("web.nav.title"). */
export type WebText = (locale: Locale, key: string, vars?: Record<string, string | number>) => string;

export type WebAdapterConfig = {
  store: WebMessageStore;
  notifier: ConversationNotifier;
  directory: WebDirectory;
  /** Verifies the personal links (`/signin?token=`, purpose "web" or "web:<page>") the bot sends in chat. */
  linkSigner: LinkSigner;
  /** The clock links are checked against: the one that signed them (the core's). Default: system time. */
  now?: () => Date;
  /** Demo mode: a persona switcher and `?as=<personId>` instead of signed links. */
  demo: boolean;
  text: WebText;
  /** Signs the session cookie; keep it different from the link secret. */
  sessionSecret: string;
  /** Session cookies are Secure whatever the request looks like (PUBLIC_URL is https). */
  secureCookies?: boolean;
  logger?: Logger;
  /** The portfolio a person may see at GET /portfolio (managers and admins); without it the page is not served. */
  portfolio?: (personId: string) => Promise<Portfolio | null>;
  /** The lessons library at GET /lessons (search, download, add, edit); without it the page is not served. */
  lessons?: LessonsPage;
  /** A guest's retro form and unsubscribe at /guest (README "Guests"); without it they are not served. */
  guests?: GuestPage;
  /**
   * Whether commands can be handled now (the queues' Redis answers). While it says no, a
   * command, action or form is refused at once with a 503 in the person's language, and
   * nothing of it is done. Default: always.
   */
  available?: () => boolean;
};

/** The signed-in person, as every route after authentication sees them. */
export type Viewer = WebPerson;

/** Purpose a `?link=` token must carry to open the web chat. */
export const WEB_LINK_PURPOSE = "web";
