import type { Locale } from "../../src/domain/locale.ts";
import { escapeHtml } from "./render-html.ts";

/** The HTML document every web page shares: language, viewport, title and the stylesheet. */
export function pageShell(locale: Locale | string, title: string, body: string, stylesheet = "/web/app.css"): string {
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/web/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
${body}
</body>
</html>`;
}
