import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Router } from "express";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import type { WebAdapterConfig } from "../../adapters/web/web-config.ts";
import { seedDemo } from "../../src/persistence/demo-seed.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import type { GuestPage } from "../../src/ports/guest-page.ts";
import type { LessonsPage } from "../../src/ports/lessons-page.ts";
import { type Logger, silentLogger } from "../../src/ports/logger.ts";
import type { Mailer } from "../../src/ports/mailer.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { createRedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import type { Deps } from "../../src/use-cases/deps.ts";
import { createGuestPage } from "../../src/use-cases/guests/guest-page.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { webLinkSigner } from "../../src/use-cases/web-link.ts";
import { createTestCore, prompts, REDIS_URL, TEST_SECRET } from "./test-core.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export type WebApp = {
  database: TestDatabase;
  core: ReturnType<typeof createTestCore>;
  web: WebAdapter;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
};

/**
 * The web chat as `leerlus demo` serves it, on a fresh database with the demo seeded: the
 * real core, queues, web adapter and HTTP app. `pages` adds the optional page callbacks,
 * which may need the core's dependencies.
 */
export async function startWebApp(
  options: {
    fast?: boolean;
    pages?: (deps: Deps) => Partial<WebAdapterConfig>;
    lessons?: boolean;
    /** The HTTP app's and the web adapter's logger; silent by default. */
    logger?: Logger;
    /** More routers, mounted before the web chat's. */
    routers?: Router[];
    /** Mail to guests, and the guest pages at /guest (README "Guests"). */
    mailer?: Mailer;
  } = {},
): Promise<WebApp> {
  const logger = options.logger ?? silentLogger;
  const database = await createTestDatabase();
  const notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `web-${randomBytes(6).toString("hex")}` });
  let deps: Deps | undefined;
  const pages = (): Partial<WebAdapterConfig> => (deps && options.pages ? options.pages(deps) : {});
  const web = createWebAdapter({
    store: createWebMessageRepository(database.db),
    notifier,
    directory: createWebDirectoryRepository(database.db),
    // The core's own link key, so the links it sends in chat open here as they do in `leerlus demo`.
    linkSigner: webLinkSigner(TEST_SECRET),
    now: () => deps?.clock.now() ?? new Date(),
    demo: true,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    sessionSecret: "session-secret-for-web-app-tests-01",
    portfolio: async (personId) => (await pages().portfolio?.(personId)) ?? null,
    logger,
    ...(options.lessons ? { lessons: lazyLessons(() => pages().lessons) } : {}),
    ...(options.mailer ? { guests: lazyGuests(() => deps) } : {}),
  });
  const core = createTestCore(
    database,
    [web.adapter],
    undefined,
    logger,
    options.mailer ? { mailer: options.mailer } : {},
  );
  deps = core.deps;
  await web.adapter.start((event) => handleEventSafely(core.deps, event));
  await seedDemo(database.db, { now: core.clock.now(), fast: options.fast ?? true });
  const app = createHttpApp({
    routers: [...(options.routers ?? []), web.router],
    readiness: [],
    metrics: async () => "",
    logger,
    notFoundPage: web.notFound,
  });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    database,
    core,
    web,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await web.adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      await notifier.close();
      await database.drop();
    },
  };
}

/** The lessons page needs the core, which needs the adapter: each call looks the page up when it comes. */
function lazyLessons(page: () => LessonsPage | undefined): LessonsPage {
  const get = (): LessonsPage => {
    const found = page();
    if (!found) throw new Error("TEST_LESSONS_PAGE_MISSING: pass lessons in pages()");
    return found;
  };
  return {
    search: (...args) => get().search(...args),
    download: (...args) => get().download(...args),
    add: (...args) => get().add(...args),
    lesson: (...args) => get().lesson(...args),
    edit: (...args) => get().edit(...args),
  };
}

/** The guest pages need the core, which needs the adapter: built when first asked for. */
function lazyGuests(deps: () => Deps | undefined): GuestPage {
  let page: GuestPage | undefined;
  const get = (): GuestPage => {
    const found = deps();
    if (!found) throw new Error("TEST_CORE_MISSING: the web app is still starting");
    page ??= createGuestPage(found);
    return page;
  };
  return {
    open: (...args) => get().open(...args),
    submit: (...args) => get().submit(...args),
    unsubscribeAsk: (...args) => get().unsubscribeAsk(...args),
    unsubscribe: (...args) => get().unsubscribe(...args),
  };
}
