import type { SlackAdapterConfig } from "./slack-config.ts";

/** The Slack part of the environment's configuration, as src/main.ts reads and passes it. */
export type SlackEnvironment = {
  botToken: string | undefined;
  signingSecret: string;
  appToken: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  stateSecret: string | undefined;
  apiUrl: string | undefined;
};

/** The environment's Slack settings as the adapter's; OAuth only when all its secrets are set. */
export function slackSettings(
  slack: SlackEnvironment,
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
