// GET /privacy/export?token=…: the file behind the link the privacy menu's *Export my data*
// sends, on every platform. A valid link downloads the JSON as an attachment, never cached; an
// expired or forged one gets a page in the reader's language saying to ask for a new link.
import { type Request, type Response, Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { type ExportDownload, PRIVACY_EXPORT_PATH } from "../../src/ports/privacy-export.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";
import { guessLocale } from "./web-session.ts";

export type PrivacyExportConfig = {
  download: (token: string) => Promise<ExportDownload>;
  text: (locale: Locale, key: string) => string;
  logger: Logger;
};

export function createPrivacyExportRouter(config: PrivacyExportConfig): Router {
  const router = Router();
  router.get(PRIVACY_EXPORT_PATH, async (request: Request, response: Response) => {
    response.set({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
    const locale = guessLocale(request);
    const notice = (status: number, key: string) => {
      const title = config.text(locale, "privacy.export-page.title");
      const body = `<main class="legal" id="main"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(config.text(locale, key))}</p></main>`;
      response
        .status(status)
        .type("html")
        .send(pageShell(locale, title, body));
    };
    const token = request.query.token;
    if (typeof token !== "string") return notice(401, "privacy.export-page.invalid");
    try {
      const download = await config.download(token);
      if (!download.ok) {
        return notice(
          401,
          download.code === "LINK_EXPIRED" ? "privacy.export-page.expired" : "privacy.export-page.invalid",
        );
      }
      response
        .status(200)
        .type("application/json; charset=utf-8")
        .set("Content-Disposition", `attachment; filename="${download.filename}"`)
        .send(download.body);
    } catch (error) {
      config.logger.error({ code: "PRIVACY_EXPORT_FAILED", error: (error as Error).name }, "privacy export failed");
      notice(503, "privacy.export-page.unavailable");
    }
  });
  return router;
}
