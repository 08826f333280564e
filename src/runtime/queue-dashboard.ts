import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { type NextFunction, type Request, type Response, Router } from "express";
import helmet from "helmet";
import { sameText } from "./same-text.ts";
import { PAGE_POLICY } from "./security-headers.ts";

export const DASHBOARD_PATH = "/admin/queues";
const ADMIN_USER = "admin";

/** Operators only: HTTP Basic authentication with the configured admin password. */
function adminOnly(password: string) {
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.get("authorization") ?? "";
    const [scheme, encoded = ""] = header.split(" ");
    const [user = "", given = ""] = Buffer.from(encoded, "base64").toString("utf8").split(/:(.*)/s);
    if (scheme === "Basic" && sameText(user, ADMIN_USER) && sameText(given, password)) return next();
    response.set("WWW-Authenticate", 'Basic realm="Leerlus admin", charset="UTF-8"');
    response
      .status(401)
      .json({ error: { code: "ADMIN_LOGIN_REQUIRED", message: "Log in as admin with the ADMIN_PASSWORD." } });
  };
}

/** Bull Board over the process's queues, behind the admin login. */
/** A queue as Bull Board's BullMQ adapter takes it (the scheduler's own queues). */
type DashboardQueue = ConstructorParameters<typeof BullMQAdapter>[0];

export function createQueueDashboard(queues: DashboardQueue[], password: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const router = Router();
  // Bull Board's page sets a <base>, styles itself inline and loads its fonts from Google;
  // scripts stay its own.
  const policy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...PAGE_POLICY,
      "base-uri": ["'self'"],
      "style-src": ["'self'", "'unsafe-inline'", "https://fonts.googleapis.com"],
      "font-src": ["'self'", "https://fonts.gstatic.com"],
    },
  });
  // The page's <base> only resolves its assets from the folder URL, with the trailing slash.
  const folder = (request: Request, response: Response, next: NextFunction) => {
    if (request.originalUrl === DASHBOARD_PATH) return response.redirect(308, `${DASHBOARD_PATH}/`);
    next();
  };
  router.use(DASHBOARD_PATH, adminOnly(password), folder, policy, serverAdapter.getRouter());
  return router;
}
