import type { SlackConfig } from "../../src/config.ts";
import type { SlackAdapterConfig } from "./slack-config.ts";

/** The environment's Slack settings as the adapter's; OAuth only when all its secrets are set. */
export function slackSettings(
  slack: SlackConfig,
  publicUrl: string,
): Pick<SlackAdapterConfig, "signingSecret" | "botToken" | "appToken" | "oauth" | "apiUrl" | "publicUrl"> {
  const { clientId, clientSecret, stateSecret } = slack;
  return {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
    appToken: slack.appToken,
    oauth: clientId && clientSecret && stateSecret ? { clientId, clientSecret, stateSecret } : undefined,
    apiUrl: slack.apiUrl,
    publicUrl,
  };
}
