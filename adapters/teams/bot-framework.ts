// botbuilder's CloudAdapter and authentication, set up for Leerlus. Kept apart so swapping
// the archived SDK for its successor touches as little as possible.
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from "botbuilder";
import {
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  PasswordServiceClientCredentialFactory,
  ServiceClientCredentialsFactory,
} from "botframework-connector";
import type { TeamsAdapterConfig } from "./teams-config.ts";

/** CloudAdapter with its turn processing reachable, so the HTTP route owns status codes and logging. */
export class LeerlusCloudAdapter extends CloudAdapter {
  handle(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The connector's HTTP pipeline retries 429 and 5xx by itself (sleeping for Retry-After);
 * Leerlus's delivery queue does that instead, across processes and within Teams' budgets, so
 * the pipeline's retry policy is taken out of every connector client.
 */
class NoRetryAuthentication extends ConfigurationBotFrameworkAuthentication {
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    return {
      async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const client = await inner.create(serviceUrl, audience);
        const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): void } } })
          .client?.pipeline;
        pipeline?.removePolicy({ name: "defaultRetryPolicy" });
        return client;
      },
    };
  }
}

/** Tests only: outbound requests carry a token from `token()`, no Microsoft login. */
class StaticTokenCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly token: () => Promise<string>,
  ) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials() {
    const token = this.token;
    return {
      async signRequest<T extends { headers: { set(name: string, value: string): void } }>(resource: T): Promise<T> {
        resource.headers.set("authorization", `Bearer ${await token()}`);
        return resource;
      },
    };
  }
}

export function createCloudAdapter(config: TeamsAdapterConfig): LeerlusCloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.localAnonymous ? "" : config.appId,
    MicrosoftAppType: config.appType,
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
    ...(config.endpoints
      ? {
          ToBotFromChannelOpenIdMetadataUrl: config.endpoints.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: config.endpoints.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: config.endpoints.tokenIssuer,
          ToChannelFromBotLoginUrl: config.endpoints.loginUrl,
          ToChannelFromBotOAuthScope: config.endpoints.oauthScope,
          OAuthUrl: config.endpoints.oauthUrl,
          ValidateAuthority: false,
          CallerId: "urn:botframework:azure",
        }
      : {}),
  };
  // Without an app id botbuilder itself turns authentication off: it accepts activities without
  // a token and sends without one, as the Bot Framework Emulator and Agents Playground expect.
  const credentials = config.localAnonymous
    ? new PasswordServiceClientCredentialFactory("", "", "")
    : config.outboundToken
      ? new StaticTokenCredentialsFactory(config.appId, config.outboundToken)
      : new PasswordServiceClientCredentialFactory(config.appId, config.appPassword, config.tenantId ?? "");
  return new LeerlusCloudAdapter(new NoRetryAuthentication(options, credentials));
}

export function isAuthenticationError(error: unknown): boolean {
  const candidate = error as { name?: unknown; statusCode?: unknown; constructor?: { name?: unknown } } | undefined;
  return (
    candidate?.constructor?.name === "AuthenticationError" ||
    candidate?.name === "AuthenticationError" ||
    candidate?.name === "JsonWebTokenError" ||
    candidate?.name === "TokenExpiredError" ||
    candidate?.statusCode === 401
  );
}

/**
 * botbuilder hands tokens to jsonwebtoken, which checks `exp` only when it is there: a token
 * without one would never expire. Read before botbuilder verifies the signature, so this only
 * narrows what it accepts.
 */
export function tokenHasExpiry(authHeader: string | undefined): boolean {
  const [scheme, token = ""] = (authHeader ?? "").split(" ");
  if (scheme !== "Bearer") return true; // botbuilder refuses it with its own 401.
  const payload = token.split(".")[1];
  if (!payload) return true;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" && Number.isFinite(claims.exp);
  } catch {
    return true; // Not a JWT at all: botbuilder refuses it.
  }
}
